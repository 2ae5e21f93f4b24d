import { expect, test } from '@playwright/test';
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
  await row.getByLabel('Role').selectOption('support');
  await row.getByRole('button', { name: 'Save' }).click();
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
  await visit(newcomer, '/accounts');
  await expect(newcomer).toHaveURL(/\/accounts$/);
});
