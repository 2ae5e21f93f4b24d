// Holds in the back office, as support staff use them: place one, capture part of it, release
// the rest — with posted, held and available on the account page, the lifecycle in the timeline,
// and the hold visible when sliding back in time. Auditors see holds but cannot act on them.

import { expect, test, type Page } from '@playwright/test';
import { createAccount, createTestUser, eventCount, placeTestHold, signIn } from './support/ledger';
import { expectToast, visit } from './support/ui';

async function expectFigures(
  page: Page,
  figures: { posted: string; held: string; available: string },
) {
  await expect(page.getByTestId('account-balance')).toContainText(figures.posted);
  await expect(page.getByTestId('account-held')).toContainText(figures.held);
  await expect(page.getByTestId('account-available')).toContainText(figures.available);
}

test('place a hold, capture part of it, release the rest', async ({ page }) => {
  const support = await createTestUser('support');
  const account = await createAccount({ balance: '300.00' });
  await signIn(page, support);
  await visit(page, `/accounts/${account}`);
  await expectFigures(page, { posted: '300.00', held: '0.00', available: '300.00' });
  await expect(page.getByTestId('active-holds')).toHaveCount(0);

  await page
    .getByTestId('account-actions')
    .getByRole('button', { name: 'Place hold', exact: true })
    .click();
  let dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('300.00 USD is available');
  // More than is available: refused next to the amount, nothing recorded.
  const before = await eventCount(account);
  await dialog.getByLabel('Amount (USD)').fill('300.01');
  await dialog.getByLabel(/^Reason/).fill('Hotel check-in, room 412');
  await dialog.getByRole('button', { name: 'Place hold' }).click();
  await expect(dialog.locator('#field-amount-error')).toHaveText('The balance is only 300.00 USD.');
  expect(await eventCount(account)).toBe(before);

  await dialog.getByLabel('Amount (USD)').fill('180.00');
  await dialog.getByLabel('Reference (optional)').fill('AUTH-77');
  await dialog.getByRole('button', { name: 'Place hold' }).click();
  await expectToast(page, 'Hold of 180.00 USD placed');
  await expect(dialog).toBeHidden();
  await expectFigures(page, { posted: '300.00', held: '180.00', available: '120.00' });
  const row = page.getByTestId('hold-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Hotel check-in, room 412');
  await expect(row).toContainText('ref AUTH-77');
  await expect(page.getByTestId('timeline-row').first()).toHaveAttribute(
    'data-event-type',
    'funds_held',
  );
  const afterPlacement = new Date().toISOString();

  await row.getByRole('button', { name: 'Capture…' }).click();
  dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Amount to capture (USD)')).toHaveValue('180.00');
  // Large captures wait for a second person (the e2e policy: above 1,000,000.00): said up front.
  await expect(dialog.getByTestId('approval-notice')).toContainText(
    "Above 1,000,000.00 USD this needs a second person's approval",
  );
  await dialog.getByLabel('Amount to capture (USD)').fill('180.01');
  await dialog.getByRole('button', { name: 'Capture' }).click();
  await expect(dialog.locator('#field-amount-error')).toHaveText(
    'At most 180.00 USD can still be captured.',
  );
  await dialog.getByLabel('Amount to capture (USD)').fill('64.90');
  await dialog.getByRole('button', { name: 'Capture' }).click();
  await expectToast(page, '64.90 USD of the hold captured');
  await expectFigures(page, { posted: '235.10', held: '115.10', available: '120.00' });
  await expect(row.getByTestId('hold-remaining')).toHaveText('115.10');
  await expect(page.getByTestId('timeline-row').first()).toHaveAttribute(
    'data-event-type',
    'held_funds_captured',
  );

  await row.getByRole('button', { name: 'Release…' }).click();
  dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('115.10 USD it still reserves');
  await dialog.getByLabel(/^Reason/).fill('Guest checked out; final bill settled');
  await dialog.getByRole('button', { name: 'Release hold' }).click();
  await expectToast(page, 'Hold released: 115.10 USD available again');
  await expectFigures(page, { posted: '235.10', held: '0.00', available: '235.10' });
  await expect(page.getByTestId('active-holds')).toHaveCount(0);
  const lifecycle = page.getByTestId('timeline-row');
  await expect(lifecycle.nth(0)).toHaveAttribute('data-event-type', 'held_funds_released');
  await expect(lifecycle.nth(0)).toContainText('115.10 USD freed: Guest checked out');
  await expect(lifecycle.nth(1)).toHaveAttribute('data-event-type', 'held_funds_captured');
  await expect(lifecycle.nth(2)).toHaveAttribute('data-event-type', 'funds_held');

  // Back in time, just after the hold was placed: it reserved all 180.00 then.
  await visit(page, `/accounts/${account}?at=${encodeURIComponent(afterPlacement)}`);
  const summary = page.getByTestId('as-of-summary');
  await expect(summary.getByTestId('as-of-balance')).toContainText('300.00');
  await expect(summary.getByTestId('as-of-held')).toContainText('180.00');
  await expect(summary.getByTestId('as-of-available')).toContainText('120.00');
  await expect(summary.getByTestId('as-of-hold')).toContainText('Hotel check-in, room 412');
});

test('the balance chart reads out the balance under the pointer', async ({ page }) => {
  const support = await createTestUser('support');
  const account = await createAccount({ balance: '1200.00' });
  await signIn(page, support);
  await visit(page, `/accounts/${account}`);
  await expect(page.getByTestId('chart-y-tick').first()).toHaveText('0.00');
  await expect(page.getByTestId('chart-y-tick').last()).toHaveText('1,500.00');
  const area = page.getByTestId('balance-chart-area');
  const box = await area.boundingBox();
  if (!box) throw new Error('the chart has no box');
  // Moved until the page has hydrated and follows the pointer.
  await expect(async () => {
    await area.hover({ position: { x: box.width / 2, y: box.height / 2 } });
    await area.hover({ position: { x: box.width - 2, y: box.height / 2 } });
    await expect(page.getByTestId('chart-readout')).toContainText('1,200.00 USD', {
      timeout: 500,
    });
  }).toPass();
});

test('auditors see an account’s holds but have no controls for them', async ({ page }) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '50.00' });
  await placeTestHold(account, '20.00');
  await signIn(page, auditor);
  await visit(page, `/accounts/${account}`);
  await expectFigures(page, { posted: '50.00', held: '20.00', available: '30.00' });
  await expect(page.getByTestId('hold-row')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Capture…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Release…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Place hold' })).toHaveCount(0);
});
