import { expect, test } from '@playwright/test';
import { E2E_SECOND_PORT } from './support/ports';
import { createAccount, createTestUser, signIn } from './support/ledger';
import { visit } from './support/ui';

test('a deposit made in one browser appears live in another, on another app instance', async ({
  browser,
}) => {
  const support = await createTestUser('support');
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '10.00' });

  // The watcher uses the second app instance: only Redis (or polling without it) can tell it.
  const watcherContext = await browser.newContext({
    baseURL: `http://localhost:${E2E_SECOND_PORT}`,
  });
  const watcher = await watcherContext.newPage();
  await signIn(watcher, auditor);
  await visit(watcher, `/accounts/${account}`);
  await expect(watcher.getByTestId('live-status').filter({ visible: true })).toHaveAttribute(
    'data-status',
    'live',
  );
  await expect(watcher.getByTestId('timeline-row')).toHaveCount(2);

  const actorContext = await browser.newContext();
  const actor = await actorContext.newPage();
  await signIn(actor, support);
  await visit(actor, `/accounts/${account}`);
  await actor.getByTestId('account-actions').getByRole('button', { name: 'Deposit' }).click();
  const dialog = actor.getByRole('dialog');
  await dialog.getByLabel('Amount (USD)').fill('32.10');
  await dialog.getByRole('button', { name: 'Post deposit' }).click();
  await expect(actor.getByTestId('account-balance')).toContainText('42.10');

  // No reload in the watching browser.
  await expect(watcher.getByTestId('timeline-row')).toHaveCount(3, { timeout: 15_000 });
  await expect(watcher.getByTestId('account-balance')).toContainText('42.10');
  await expect(watcher.getByTestId('timeline-row').first()).toHaveAttribute(
    'data-event-type',
    'funds_deposited',
  );
});
