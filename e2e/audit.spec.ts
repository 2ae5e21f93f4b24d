import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { approvedCorrection } from './support/approvals';
import { chargeAccount, createAccount, createTestUser, signIn } from './support/ledger';
import { settled, visit } from './support/ui';

test('an auditor filters the log, sees the integrity check and downloads the CSV', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '300.00' });
  await chargeAccount(account, '12.34', 'CSV-CHECK');
  await signIn(page, auditor);
  await visit(page, '/audit');
  await expect(
    page.getByRole('region', { name: 'Integrity check' }).getByTestId('integrity-result'),
  ).toContainText('Intact');
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`account=${account}`));
  await settled(page);
  await expect(page.getByTestId('audit-table').locator('tbody tr')).toHaveCount(3);

  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^chronicle-audit-.*\.csv$/);
  const csv = await readFile((await download.path()) as string, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe(
    'position,event_id,occurred_at,recorded_at,account_id,version,type,amount,currency,actor,approved_by,effective_at,correlation_id,causation_id,details,hash,prev_hash',
  );
  expect(lines).toHaveLength(4);
  expect(lines.map((line) => line.split(',')[6])).toEqual([
    'type',
    'account_opened',
    'funds_deposited',
    'funds_withdrawn',
  ]);
  expect(lines[3]).toContain(',-12.34,USD,');
  expect(lines[3]).toContain('CSV-CHECK');
});

test('the log and its export on both time axes: in effect by an instant, and as known then', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  const [maker, checker] = [await createTestUser('admin'), await createTestUser('admin')];
  const account = await createAccount({ balance: '100.00' });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  await pause();
  const effectiveAt = new Date();
  await pause();
  const beforeCorrection = new Date();
  await pause();
  await approvedCorrection({
    account,
    amount: '25.00',
    effectiveAt,
    reason: 'Wire posted late',
    maker,
    checker,
  });

  await signIn(page, auditor);
  await visit(page, '/audit');
  const rows = page.getByTestId('audit-table').locator('tbody tr');
  const exported = async () => {
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csv = await readFile((await (await downloading).path()) as string, 'utf8');
    return csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[6]);
  };

  // As Chronicle knew it before the correction was recorded: no correction, on the page and in
  // the export alike.
  await page.getByLabel('Account').fill(account);
  await page.getByLabel('As known at (UTC)').fill(beforeCorrection.toISOString());
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/knownAt=/);
  await settled(page);
  await expect(rows).toHaveCount(2);
  expect(await exported()).toEqual(['account_opened', 'funds_deposited']);

  // As known now, in effect by its effective instant: the correction is there, by effective time.
  await page.getByLabel('As known at (UTC)').fill('');
  await page.getByLabel('In effect by (UTC)').fill(effectiveAt.toISOString());
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/[?&]at=\d/);
  await settled(page);
  await expect(rows).toHaveCount(3);
  expect(await exported()).toEqual(['account_opened', 'funds_deposited', 'balance_corrected']);

  // In effect by a moment before it took effect: not yet.
  await page
    .getByLabel('In effect by (UTC)')
    .fill(new Date(effectiveAt.getTime() - 1).toISOString());
  await page.getByRole('button', { name: 'Filter' }).click();
  await settled(page);
  await expect(rows).toHaveCount(2);
  expect(await exported()).toEqual(['account_opened', 'funds_deposited']);
});

test('support staff may read the log but not export it', async ({ page }) => {
  const support = await createTestUser('support');
  await signIn(page, support);
  await visit(page, '/audit');
  await expect(page.getByTestId('audit-table')).toBeVisible();
  await expect(page.getByTestId('export-csv')).toHaveCount(0);
  const response = await page.request.get('/api/audit/export');
  expect(response.status()).toBe(403);
});

test('an admin re-verifies the whole ledger from the audit page and sees it finish', async ({
  page,
}) => {
  const admin = await createTestUser('admin');
  await signIn(page, admin);
  await visit(page, '/audit');
  const integrity = page.getByRole('region', { name: 'Integrity check' });
  await integrity.getByRole('button', { name: 'Re-verify everything' }).click();
  await expect(integrity.getByTestId('full-verification-status')).toContainText(
    'succeeded: the whole ledger is intact',
    { timeout: 20_000 },
  );
});

test('only admins are offered a full re-verification, and only they may start one', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  await signIn(page, auditor);
  await visit(page, '/audit');
  await expect(page.getByRole('button', { name: 'Re-verify everything' })).toHaveCount(0);
});
