import { expect, test } from '@playwright/test';
import { PASSWORD, createTestUser, setUserDisabled, signIn } from './support/ledger';
import { visit } from './support/ui';

test.describe('signing in', () => {
  for (const role of ['admin', 'support', 'auditor'] as const) {
    test(`${role} signs in and sees what the role may use`, async ({ page }) => {
      const user = await createTestUser(role);
      await signIn(page, user);
      await expect(page).toHaveURL(/\/accounts$/);
      await expect(page.getByTestId('current-user')).toHaveText(user.name);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.getByRole('link', { name: 'Accounts' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Audit log' })).toBeVisible();
      await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(role === 'admin' ? 1 : 0);
      await expect(page.getByRole('button', { name: 'Open account' })).toHaveCount(
        role === 'auditor' ? 0 : 1,
      );
    });
  }

  test('sends signed-out visitors to the sign-in page and back', async ({ page }) => {
    const user = await createTestUser('support');
    await visit(page, '/audit');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faudit/);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/audit$/);
  });

  test('refuses a wrong password, then throttles repeated failures', async ({ page }) => {
    const user = await createTestUser('support');
    await visit(page, '/login');
    await page.getByLabel('Email').fill(user.email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await page.getByLabel('Password').fill(`wrong password ${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByTestId('login-error')).toHaveText(
        'The email or password is incorrect.',
      );
    }
    // Even the right password is refused while the email is throttled.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toHaveText(/Too many failed attempts/);
    await expect(page).toHaveURL(/\/login/);
  });

  test('a disabled user is refused on the next request, not only at the next sign-in', async ({
    page,
  }) => {
    const user = await createTestUser('support');
    await signIn(page, user);
    await setUserDisabled(user.id, true);
    await visit(page, '/accounts');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('heading', { name: 'Sign in to Chronicle' })).toBeVisible();
  });
});
