import { expect, test } from '@playwright/test';
import { createAccount, createTestUser, eventCount, signIn } from './support/ledger';
import { expectToast, visit } from './support/ui';

test('an admin freezes an account and the withdrawal is refused, then unfreezes it', async ({
  page,
}) => {
  const admin = await createTestUser('admin');
  const account = await createAccount({ balance: '250.00' });
  await signIn(page, admin);
  await visit(page, `/accounts/${account}`);
  const actions = page.getByTestId('account-actions');

  await actions.getByRole('button', { name: 'Freeze' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel(/Reason/).fill('Suspected card testing');
  await dialog.getByRole('button', { name: 'Freeze account' }).click();
  await expectToast(page, `Account ${account} frozen`);
  await expect(page.getByTestId('account-status')).toContainText('Frozen');
  await expect(page.getByTestId('account-status')).toContainText('Suspected card testing');

  const before = await eventCount(account);
  await actions.getByRole('button', { name: 'Withdraw' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Amount (USD)').fill('10.00');
  await dialog.getByRole('button', { name: 'Post withdrawal' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText(
    `Account ${account} is frozen (Suspected card testing)`,
  );
  expect(await eventCount(account)).toBe(before);
  await page.keyboard.press('Escape');

  // Money can still arrive.
  await actions.getByRole('button', { name: 'Deposit' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Amount (USD)').fill('1.00');
  await dialog.getByRole('button', { name: 'Post deposit' }).click();
  await expect(page.getByTestId('account-balance')).toContainText('251.00');

  await actions.getByRole('button', { name: 'Unfreeze' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel(/Reason/).fill('Cleared by fraud team');
  await dialog.getByRole('button', { name: 'Unfreeze account' }).click();
  await expect(page.getByTestId('account-status')).toContainText('Active');
});

test('support staff cannot freeze: no button, and the server refuses', async ({ page }) => {
  const support = await createTestUser('support');
  const account = await createAccount({ balance: '1.00' });
  await signIn(page, support);
  await visit(page, `/accounts/${account}`);
  await expect(
    page.getByTestId('account-actions').getByRole('button', { name: 'Deposit' }),
  ).toBeVisible();
  await expect(
    page.getByTestId('account-actions').getByRole('button', { name: 'Freeze' }),
  ).toHaveCount(0);
});
