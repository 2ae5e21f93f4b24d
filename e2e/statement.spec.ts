// The printable statement, as an auditor uses it: opened from the account page, totals and lines
// on screen, one printed page per 40 lines, and the signed JSON downloaded and checked offline.

import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import {
  createAccountWithHistory,
  createTestUser,
  signIn,
  waitUntilSealed,
} from './support/ledger';
import { settled, visit } from './support/ui';
import { E2E_SIGNING_KEY } from './support/ports';

const run = promisify(execFile);

test('an auditor opens a statement, prints it in pages, and downloads it signed', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  // 44 events in March: the opening, 43 deposits — two printed pages.
  const entries: Parameters<typeof createAccountWithHistory>[0] = [
    { at: '2026-03-01T09:00:00Z', command: 'open' },
  ];
  for (let day = 0; day < 43; day += 1)
    entries.push({
      at: new Date(Date.UTC(2026, 2, 1, 10 + (day % 12), day)).toISOString(),
      command: { deposit: '1.00' },
    });
  entries.sort((a, b) => a.at.localeCompare(b.at));
  const account = await createAccountWithHistory(entries);
  await waitUntilSealed();

  await signIn(page, auditor);
  await visit(page, `/accounts/${account}`);
  await page.getByTestId('statement-link').click();
  await expect(page).toHaveURL(new RegExp(`/accounts/${account}/statement`));
  await settled(page);
  await page.getByLabel('From (UTC, exclusive)').fill('2026-02-28T00:00:00Z');
  await page.getByLabel('To (UTC, inclusive)').fill('2026-03-31T23:59:59Z');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/from=2026-02-28/);
  await settled(page);

  await expect(page.getByTestId('statement-line')).toHaveCount(44);
  await expect(page.getByTestId('statement-opening')).toContainText('0.00');
  await expect(page.getByTestId('statement-closing')).toContainText('43.00');
  await expect(page.getByTestId('statement-verification')).toContainText('All 44 lines are sealed');
  await expect(page.getByTestId('statement-page')).toHaveCount(2);

  // Printed, the navigation and the controls disappear and the pages break where they should.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Show' })).toBeHidden();
  await expect(page.getByTestId('statement-page').first()).toHaveCSS('break-after', 'page');
  await page.emulateMedia({ media: 'screen' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('statement-json').click(),
  ]);
  const file = await download.path();
  const signed = JSON.parse(await readFile(file, 'utf8')) as { statement: { lines: unknown[] } };
  expect(signed.statement.lines).toHaveLength(44);
  const keyFile = `${file}.pem`;
  await writeFile(
    keyFile,
    createPublicKey(createPrivateKey(E2E_SIGNING_KEY)).export({ format: 'pem', type: 'spki' }),
  );
  const { stdout } = await run(process.execPath, [
    path.join(process.cwd(), 'verifier', 'chronicle-verify.mjs'),
    file,
    '--public-key',
    keyFile,
  ]);
  expect(stdout).toContain('VERDICT: VALID');
});
