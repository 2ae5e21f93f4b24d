// Automated accessibility checks (axe-core, bundled: nothing is fetched) on the pages people use
// most. Serious and critical findings fail the test.

import { expect, test } from '@playwright/test';
import { createAccountWithHistory, createTestUser, signIn } from './support/ledger';
import { visit } from './support/ui';
import { expectNoSeriousViolations } from './support/accessibility';

test('the sign-in page, accounts, an account with time travel, and the audit log pass axe', async ({
  page,
}) => {
  await visit(page, '/login');
  await expectNoSeriousViolations(page);

  const support = await createTestUser('support');
  const account = await createAccountWithHistory([
    { at: '2026-03-01T09:00:00Z', command: 'open' },
    { at: '2026-03-10T10:00:00Z', command: { deposit: '1000.00' } },
    { at: '2026-03-15T14:30:00Z', command: { withdraw: '250.00' } },
  ]);
  await signIn(page, support);
  await visit(page, '/accounts');
  await expectNoSeriousViolations(page);
  await visit(page, `/accounts/${account}?at=2026-03-12T00:00:00Z`);
  await expect(page.getByTestId('as-of-summary').filter({ visible: true })).toContainText(
    '1,000.00',
  );
  await expectNoSeriousViolations(page);
  await visit(page, '/audit');
  await expectNoSeriousViolations(page);
});

test('the confirmation before disabling a user passes axe', async ({ page }) => {
  const admin = await createTestUser('admin');
  const other = await createTestUser('support');
  await signIn(page, admin);
  await visit(page, '/admin/users');
  await page
    .getByRole('row')
    .filter({ hasText: other.email })
    .getByRole('button', { name: 'Disable' })
    .click();
  await expect(page.getByRole('dialog', { name: `Disable ${other.name}?` })).toBeVisible();
  await expectNoSeriousViolations(page);
});
