import { expect, test, type Request } from '@playwright/test';
import { getPool } from '../lib/server/db/pool';
import { createAccount, createTestUser, eventCount, signIn } from './support/ledger';
import { visit } from './support/ui';

test('an auditor sees no controls that move money', async ({ page }) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '40.00' });
  await signIn(page, auditor);
  await visit(page, `/accounts/${account}`);
  await expect(page.getByTestId('account-balance')).toContainText('40.00');
  await expect(page.getByTestId('account-actions')).toHaveCount(0);
  for (const name of ['Deposit', 'Withdraw', 'Transfer', 'Freeze', 'Reverse…', 'Open account']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await visit(page, '/accounts');
  await expect(page.getByRole('button', { name: 'Open account' })).toHaveCount(0);
  await visit(page, '/admin/users');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
});

test('a forged server-action call as an auditor is refused by the server and logged', async ({
  browser,
}) => {
  const support = await createTestUser('support');
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '100.00' });

  // Capture a real deposit request as support staff send it…
  const supportPage = await (await browser.newContext()).newPage();
  await signIn(supportPage, support);
  await visit(supportPage, `/accounts/${account}`);
  await supportPage.getByTestId('account-actions').getByRole('button', { name: 'Deposit' }).click();
  const dialog = supportPage.getByRole('dialog');
  await dialog.getByLabel('Amount (USD)').fill('1.00');
  const captured = new Promise<Request>((resolve) => {
    supportPage.on('request', (request) => {
      if (request.method() === 'POST' && request.headers()['next-action']) resolve(request);
    });
  });
  await dialog.getByRole('button', { name: 'Post deposit' }).click();
  const original = await captured;
  await expect(supportPage.getByTestId('account-balance')).toContainText('101.00');
  const body = original.postDataBuffer();
  if (!body) throw new Error('the action request had no body');

  // …then replay it, with a fresh idempotency key, from an auditor's session.
  const forgedBody = Buffer.from(
    body
      .toString('latin1')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, crypto.randomUUID()),
    'latin1',
  );
  const auditorContext = await browser.newContext();
  const auditorPage = await auditorContext.newPage();
  await signIn(auditorPage, auditor);
  const before = await eventCount(account);
  const headers = original.headers();
  const response = await auditorPage.request.post(original.url(), {
    headers: {
      'next-action': headers['next-action'] as string,
      'content-type': headers['content-type'] as string,
      accept: headers.accept ?? 'text/x-component',
      'next-router-state-tree': headers['next-router-state-tree'] ?? '',
    },
    data: forgedBody,
  });
  const answer = await response.text();
  expect(answer).toContain('"forbidden"');
  expect(answer).not.toContain('posted');
  expect(await eventCount(account)).toBe(before);
  const denials = await getPool().query(
    "SELECT action, channel FROM access_denials WHERE actor = $1 AND action = 'funds:deposit'",
    [`user:${auditor.id}`],
  );
  expect(denials.rows).toEqual([{ action: 'funds:deposit', channel: 'web' }]);

  // Auditors (and admins) see refused attempts on the audit page.
  await visit(auditorPage, '/audit');
  const refused = auditorPage
    .getByRole('region', { name: 'Refused attempts' })
    .getByTestId('access-denials');
  await expect(
    refused
      .getByRole('row')
      .filter({ hasText: auditor.email })
      .filter({ hasText: 'funds:deposit' })
      .first(),
  ).toBeVisible();
});
