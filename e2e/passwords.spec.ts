import { expect, test } from '@playwright/test';
import { createTestUser, signIn, unique } from './support/ledger';
import { expectToast, visit } from './support/ui';

test('a password is used exactly as typed: spaces around it are part of it', async ({
  page,
  browser,
}) => {
  const admin = await createTestUser('admin');
  await signIn(page, admin);
  await visit(page, '/admin/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog');
  const email = `${unique('padded')}@e2e.test`;
  const password = '  padded password  ';
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Name').fill('Pat Padded');
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expectToast(page, `${email} can now sign in as support`);

  const newcomer = await (await browser.newContext()).newPage();
  await visit(newcomer, '/login');
  await newcomer.getByLabel('Email').fill(email);
  await newcomer.getByLabel('Password').fill(password.trim());
  await newcomer.getByRole('button', { name: 'Sign in' }).click();
  await expect(newcomer.getByTestId('login-error')).toHaveText(
    'The email or password is incorrect.',
  );
  await signIn(newcomer, { email }, password);
  await expect(newcomer).toHaveURL(/\/accounts$/);
});
