import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
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
