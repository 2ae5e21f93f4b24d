// Four eyes in the back office: a support user's large withdrawal waits as an approval request;
// its maker cannot approve it; another support user finds it in the Approvals inbox, sees its
// effect and approves it, and the money moves once, with both people on the event.

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { approveRequest } from '../lib/server/approvals/approve-request';
import { LARGE_AMOUNT, personOf } from './support/approvals';
import { createAccount, createTestUser, eventCount, signIn } from './support/ledger';
import { expectToast, visit } from './support/ui';

test('a large withdrawal is requested by one person and approved by another', async ({
  page,
  browser,
}) => {
  const maker = await createTestUser('support');
  const checker = await createTestUser('support');
  const account = await createAccount({ balance: '2000000.00' });
  await signIn(page, maker);
  await visit(page, `/accounts/${account}`);

  await page.getByTestId('account-actions').getByRole('button', { name: 'Withdraw' }).click();
  const dialog = page.getByRole('dialog');
  // The form says so before it is submitted.
  await expect(dialog.getByTestId('approval-notice')).toContainText('Above 1,000,000.00 USD');
  await dialog.getByLabel('Amount (USD)').fill(LARGE_AMOUNT);
  await dialog.getByRole('button', { name: 'Post withdrawal' }).click();
  const pending = dialog.getByTestId('approval-pending');
  await expect(pending).toContainText(`Withdraw 1,500,000.00 USD from ${account}`);
  expect(await eventCount(account)).toBe(2);
  const requestUrl = await pending.getByRole('link').getAttribute('href');
  expect(requestUrl).toMatch(/^\/approvals\/[0-9a-f-]{36}$/);

  // The maker sees the request but cannot decide it.
  await visit(page, requestUrl as string);
  await expect(page.getByTestId('approval-status')).toHaveText('pending');
  await expect(page.getByRole('button', { name: 'Approve…' })).toHaveCount(0);
  await expect(page.getByRole('note').first()).toContainText('You made this request');

  const checkerContext = await browser.newContext();
  const checkerPage = await checkerContext.newPage();
  await signIn(checkerPage, checker);
  await expect(checkerPage.getByTestId('pending-approvals')).toBeVisible();
  await visit(checkerPage, '/approvals');
  await checkerPage
    .getByRole('link', { name: `Withdraw 1,500,000.00 USD from ${account}` })
    .click();
  await expect(checkerPage.getByTestId('approval-preview')).toContainText('2,000,000.00');
  await expect(checkerPage.getByTestId('approval-preview')).toContainText('500,000.00');
  await expect(checkerPage.getByTestId('approval-command')).toContainText('"type": "withdraw"');
  await checkerPage.getByRole('button', { name: 'Approve…' }).click();
  await checkerPage.getByRole('dialog').getByRole('button', { name: 'Approve and run' }).click();
  await expectToast(checkerPage, 'Approved: the request ran');
  await expect(checkerPage.getByTestId('approval-status')).toHaveText('approved');
  await expect(checkerPage.getByTestId('approval-checker')).toContainText(checker.email);

  await visit(checkerPage, `/accounts/${account}`);
  await expect(checkerPage.getByTestId('account-balance')).toContainText('500,000.00');
  const row = checkerPage.locator(
    '[data-testid="timeline-row"][data-event-type="funds_withdrawn"]',
  );
  await expect(row).toContainText(`approved by ${checker.name}`);
  expect(await eventCount(account)).toBe(3);
  // The statement names both people too.
  await visit(checkerPage, `/accounts/${account}/statement`);
  await expect(checkerPage.getByTestId('statement-approval')).toContainText(
    `Initiated by ${maker.name}`,
  );
  await expect(checkerPage.getByTestId('statement-approval')).toContainText(
    `approved by ${checker.name}`,
  );
  await checkerContext.close();
});

test('the slider answers as known now and as Chronicle showed it then, around a correction', async ({
  page,
}) => {
  const maker = await createTestUser('admin');
  const checker = await createTestUser('admin');
  const account = await createAccount({ balance: '100.00' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const effectiveAt = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 50));

  await signIn(page, maker);
  await visit(page, `/accounts/${account}`);
  await page
    .getByTestId('account-actions')
    .getByRole('button', { name: 'Correct history…' })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('approval-notice')).toContainText("second person's approval");
  await dialog.getByLabel('Kind').selectOption('deposit');
  await dialog.getByLabel('Amount (USD)').fill('25.00');
  await dialog.getByLabel(/Effective at/).fill(effectiveAt);
  await dialog.getByLabel(/Reason/).fill('Wire of the morning posted late');
  await dialog.getByRole('button', { name: 'Record correction' }).click();
  const href = await dialog.getByTestId('approval-pending').getByRole('link').getAttribute('href');
  const approvalId = (href as string).split('/').pop() as string;
  await approveRequest({
    approvalId,
    checker: personOf(checker),
    context: {
      actor: `user:${checker.id}`,
      person: personOf(checker),
      idempotencyKey: randomUUID(),
    },
  });

  await visit(page, `/accounts/${account}?at=${encodeURIComponent(effectiveAt)}`);
  const summary = page.getByTestId('as-of-summary');
  await expect(summary.getByTestId('as-of-balance')).toContainText('125.00');
  await expect(summary.getByTestId('as-of-correction-note')).toContainText('100.00');
  await page.getByLabel('As Chronicle showed it then').check();
  await expect(summary.getByTestId('as-of-balance')).toContainText('100.00');
  await expect(summary.getByTestId('as-of-other-balance')).toContainText('125.00');
  // The URL follows once the slider rests.
  await expect.poll(() => new URL(page.url()).searchParams.get('knownAt')).toBe(effectiveAt);
  await expect(page.locator('[data-testid="timeline-row"][data-correction="true"]')).toContainText(
    'Backdated deposit',
  );
  await expect(page.getByTestId('chart-correction')).toHaveCount(1);
  await expect(page.getByTestId('chart-shown-then')).toHaveCount(1);

  // The URL keeps both instants: reopened, it shows the same view.
  await visit(page, page.url());
  await expect(page.getByLabel('As Chronicle showed it then')).toBeChecked();
  await expect(page.getByTestId('as-of-summary').getByTestId('as-of-balance')).toContainText(
    '100.00',
  );

  // The statement of the minute up to the effective instant says so too, by effective time; as
  // Chronicle would have stated it then, before the correction was recorded, it has nothing to add.
  const period = new URLSearchParams({
    from: new Date(Date.parse(effectiveAt) - 60_000).toISOString(),
    to: effectiveAt,
  });
  await visit(page, `/accounts/${account}/statement?${period}`);
  await expect(page.getByTestId('statement-closing')).toContainText('100.00');
  const byEffectiveTime = page.getByTestId('statement-effective');
  await expect(byEffectiveTime.getByTestId('statement-effective-closing')).toContainText('125.00');
  await expect(byEffectiveTime.getByTestId('statement-later-correction')).toContainText(
    'Wire of the morning posted late',
  );
  period.set('knownAt', effectiveAt);
  await visit(page, `/accounts/${account}/statement?${period}`);
  await expect(page.getByTestId('statement-closing')).toContainText('100.00');
  await expect(page.getByTestId('statement-effective')).toHaveCount(0);
});
