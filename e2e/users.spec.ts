import { expect, test } from '@playwright/test';
import { adminActionPage } from '../lib/schemas/api-resources';
import { apiKeyFor } from './api/support';
import { PASSWORD, createTestUser, signIn, unique } from './support/ledger';
import { expectToast, visit } from './support/ui';

test('an admin adds a user, changes their role and disables them', async ({ page, browser }) => {
  const admin = await createTestUser('admin');
  await signIn(page, admin);
  await visit(page, '/admin/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog');
  const email = `${unique('new')}@e2e.test`;
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Name').fill('Nora New');
  await dialog.getByLabel('Role').selectOption('auditor');
  await dialog.getByLabel('Password').fill('short');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog.locator('#field-password-error')).toHaveText('Use at least 12 characters.');
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expectToast(page, `${email} can now sign in as auditor`);

  const newcomer = await (await browser.newContext()).newPage();
  await signIn(newcomer, { email });
  await expect(newcomer.getByRole('button', { name: 'Open account' })).toHaveCount(0);

  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByLabel(/^Role of /).selectOption('support');
  await row.getByRole('button', { name: /^Save role of / }).click();
  await expectToast(page, `${email} is now support`);
  // The new role applies on the newcomer's next request.
  await newcomer.reload();
  await expect(newcomer.getByRole('button', { name: 'Open account' })).toHaveCount(1);

  // Disabling asks first, naming the user; cancelling leaves them signed in.
  await row.getByRole('button', { name: 'Disable' }).click();
  const disabling = page.getByRole('dialog', { name: 'Disable Nora New?' });
  await expect(disabling).toContainText(`Nora New (${email}) is signed out`);
  await disabling.getByRole('button', { name: 'Cancel' }).click();
  await expect(disabling).toBeHidden();
  await expect(row).toContainText('Active');
  await visit(newcomer, '/accounts');
  await expect(newcomer).toHaveURL(/\/accounts$/);

  await row.getByRole('button', { name: 'Disable' }).click();
  await disabling.getByRole('button', { name: 'Disable user' }).click();
  await expectToast(page, `${email} is disabled and signed out`);
  await expect(row).toContainText('Disabled');
  await visit(newcomer, '/accounts');
  await expect(newcomer).toHaveURL(/\/login/);

  // Enabling asks too; Escape cancels, confirming lets them sign in again.
  await row.getByRole('button', { name: 'Enable' }).click();
  const enabling = page.getByRole('dialog', { name: 'Enable Nora New?' });
  await expect(enabling).toContainText(`Nora New (${email}) can sign in again`);
  await page.keyboard.press('Escape');
  await expect(enabling).toBeHidden();
  await expect(row).toContainText('Disabled');
  await row.getByRole('button', { name: 'Enable' }).click();
  await enabling.getByRole('button', { name: 'Enable user' }).click();
  await expectToast(page, `${email} can sign in again`);
  await expect(row).toContainText('Active');
  // Disabling ended the newcomer's session for good: enabling lets them sign in, it does not
  // revive the old session (or a stolen copy of its cookie).
  await visit(newcomer, '/accounts');
  await expect(newcomer).toHaveURL(/\/login/);
  await signIn(newcomer, { email });
  await expect(newcomer).toHaveURL(/\/accounts$/);

  // Every step is in the trail, with who did it and what changed.
  await visit(page, '/audit');
  const trail = page.getByTestId('admin-actions');
  const entries = trail.locator('tbody tr').filter({ hasText: email });
  await expect(entries).toHaveCount(4);
  await expect(entries.nth(0)).toContainText('User enabled');
  await expect(entries.nth(0)).toContainText('disabled: true → false');
  await expect(entries.nth(1)).toContainText('User disabled');
  await expect(entries.nth(2)).toContainText('Role changed');
  await expect(entries.nth(2)).toContainText('role: auditor → support');
  await expect(entries.nth(3)).toContainText('User created');
  await expect(entries.first()).toContainText(admin.email);

  const api = await page.request.get('/api/v1/admin-actions?limit=200', {
    headers: { Authorization: `Bearer ${await apiKeyFor('auditor')}` },
  });
  expect(api.status()).toBe(200);
  const body = adminActionPage.parse(await api.json());
  const mine = body.items.filter((item) => item.subject.label === email);
  expect(mine.map((item) => item.type)).toEqual([
    'user_enabled',
    'user_disabled',
    'user_role_changed',
    'user_created',
  ]);
  expect(new Set(mine.map((item) => item.actor))).toEqual(new Set([`user:${admin.id}`]));
  expect(mine.find((item) => item.type === 'user_role_changed')).toMatchObject({
    before: { role: 'auditor' },
    after: { role: 'support' },
  });
});
