import { expect, test, type Page } from '@playwright/test';
import {
  balanceOf,
  chargeAccount,
  createAccount,
  createTestUser,
  eventCount,
  signIn,
} from './support/ledger';
import { expectToast, visit } from './support/ui';

async function openDialog(page: Page, button: string) {
  await page
    .getByTestId('account-actions')
    .getByRole('button', { name: button, exact: true })
    .click();
  return page.getByRole('dialog');
}

test.describe('support staff move money', () => {
  test('deposit, withdraw and transfer, each confirmed and shown in the timeline', async ({
    page,
  }) => {
    const support = await createTestUser('support');
    const account = await createAccount({ balance: '100.00' });
    const other = await createAccount({ balance: '0.00' });
    await signIn(page, support);
    await visit(page, `/accounts/${account}`);

    let dialog = await openDialog(page, 'Deposit');
    await dialog.getByLabel('Amount (USD)').fill('25.50');
    await dialog.getByLabel('Source (optional)').fill('Wire');
    await dialog.getByRole('button', { name: 'Post deposit' }).click();
    await expectToast(page, 'Deposit of 25.50 USD posted');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('account-balance')).toContainText('125.50');
    await expect(page.getByTestId('timeline-row').first()).toHaveAttribute(
      'data-event-type',
      'funds_deposited',
    );

    dialog = await openDialog(page, 'Withdraw');
    await dialog.getByLabel('Amount (USD)').fill('5.25');
    await dialog.getByRole('button', { name: 'Post withdrawal' }).click();
    await expectToast(page, 'Withdrawal of 5.25 USD posted');
    await expect(page.getByTestId('account-balance')).toContainText('120.25');

    dialog = await openDialog(page, 'Transfer');
    await dialog.getByLabel('To account').fill(other);
    await dialog.getByLabel('Amount (USD)').fill('20.25');
    await dialog.getByRole('button', { name: 'Post transfer' }).click();
    await expectToast(page, `Transfer of 20.25 USD to ${other} posted`);
    await expect(page.getByTestId('account-balance')).toContainText('100.00');
    await expect(page.getByTestId('timeline-row').first()).toHaveAttribute(
      'data-event-type',
      'transfer_initiated',
    );
    expect(await balanceOf(other)).toBe(2_025n);
  });

  test('an overdraft is refused next to the amount, and nothing is recorded', async ({ page }) => {
    const support = await createTestUser('support');
    const account = await createAccount({ balance: '10.00' });
    await signIn(page, support);
    await visit(page, `/accounts/${account}`);
    const before = await eventCount(account);
    const dialog = await openDialog(page, 'Withdraw');
    await dialog.getByLabel('Amount (USD)').fill('10.01');
    await dialog.getByRole('button', { name: 'Post withdrawal' }).click();
    const error = dialog.locator('#field-amount-error');
    await expect(error).toHaveText('The balance is only 10.00 USD.');
    await expect(dialog.getByLabel('Amount (USD)')).toHaveAttribute('aria-invalid', 'true');
    expect(await eventCount(account)).toBe(before);

    // Bad input gets a clear message too, and still records nothing.
    await dialog.getByLabel('Amount (USD)').fill('1.005');
    await dialog.getByRole('button', { name: 'Post withdrawal' }).click();
    await expect(error).toHaveText('USD amounts have at most 2 decimal places.');
    expect(await eventCount(account)).toBe(before);
  });

  test('reverses part of a charge from its row, then refuses an over-reversal inline', async ({
    page,
  }) => {
    const support = await createTestUser('support');
    const account = await createAccount({ balance: '500.00' });
    const chargeId = await chargeAccount(account, '80.00', 'DISPUTED-1');
    await signIn(page, support);
    await visit(page, `/accounts/${account}`);
    const chargeRow = page.locator(`[data-event-id="${chargeId}"]`);
    await chargeRow.getByRole('button', { name: 'Reverse…' }).click();
    let dialog = page.getByRole('dialog');
    // The amount is prefilled with everything that can still be reversed; a reason is required.
    await expect(dialog.getByLabel('Amount to reverse (USD)')).toHaveValue('80.00');
    await dialog.getByLabel('Amount to reverse (USD)').fill('30.00');
    await dialog.getByRole('button', { name: 'Post reversal' }).click();
    await expect(dialog.locator('#field-reason-error')).toHaveText('Reason is required.');
    // What was typed survives the refusal.
    await expect(dialog.getByLabel('Amount to reverse (USD)')).toHaveValue('30.00');
    await dialog.getByLabel(/Reason/).fill('Customer dispute #77: partial refund agreed');
    await dialog.getByRole('button', { name: 'Post reversal' }).click();
    await expectToast(page, 'Reversal of 30.00 USD posted');
    await expect(page.getByTestId('account-balance')).toContainText('450.00');
    await expect(page.getByTestId('timeline-row').first()).toHaveAttribute(
      'data-event-type',
      'charge_reversed',
    );
    await expect(page.getByTestId('reversal-link').first()).toHaveAttribute(
      'href',
      `/events/${chargeId}`,
    );

    await chargeRow.getByRole('button', { name: 'Reverse…' }).click();
    dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Amount to reverse (USD)')).toHaveValue('50.00');
    await dialog.getByLabel('Amount to reverse (USD)').fill('50.01');
    await dialog.getByLabel(/Reason/).fill('Trying to refund too much');
    await dialog.getByRole('button', { name: 'Post reversal' }).click();
    await expect(dialog.locator('#field-amount-error')).toHaveText(
      'At most 50.00 USD can still be reversed.',
    );
    expect(await balanceOf(account)).toBe(45_000n);

    // The charge's own page links to its reversal.
    await visit(page, `/events/${chargeId}`);
    await expect(page.getByTestId('charge-status')).toContainText('Partly given back');
    await expect(
      page.getByTestId('consequences').getByRole('link', { name: 'Charge reversed' }),
    ).toBeVisible();
  });

  test('a double-clicked submission posts once', async ({ page }) => {
    const support = await createTestUser('support');
    const account = await createAccount({ balance: '0.00' });
    await signIn(page, support);
    await visit(page, `/accounts/${account}`);
    const dialog = await openDialog(page, 'Deposit');
    await dialog.getByLabel('Amount (USD)').fill('7.00');
    const form = dialog.locator('form');
    // Two submissions of the same form, as a double click or a flaky network would send them.
    await form.evaluate((element: HTMLFormElement) => {
      element.requestSubmit();
      element.requestSubmit();
    });
    await expectToast(page, /Deposit of 7.00 USD posted/);
    await expect.poll(() => balanceOf(account)).toBe(700n);
    expect(await eventCount(account)).toBe(2);
  });
});
