import { expect, test } from '@playwright/test';
import { PASSWORD, createTestUser, setUserDisabled, signIn } from './support/ledger';
import { E2E_SECOND_PORT } from './support/ports';
import { testAddress } from './support/sign-in';
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

  test('refuses a wrong password, backs off repeated failures, and never locks the user out elsewhere', async ({
    browser,
  }) => {
    const user = await createTestUser('support');
    // The guesser's browser, behind the proxy the second instance trusts, at an address of its own.
    const guesser = await (
      await browser.newContext({
        baseURL: `http://localhost:${E2E_SECOND_PORT}`,
        extraHTTPHeaders: { 'X-Forwarded-For': testAddress() },
      })
    ).newPage();
    await visit(guesser, '/login');
    await guesser.getByLabel('Email').fill(user.email);
    const guess = async (password: string) => {
      await guesser.getByLabel('Password').fill(password);
      const [response] = await Promise.all([
        guesser.waitForResponse((answer) =>
          answer.url().includes('/api/auth/callback/credentials'),
        ),
        guesser.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      await expect(guesser.getByTestId('login-error')).toBeVisible();
      return response;
    };

    // Five wrong passwords are simply wrong.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await guess(`wrong password ${attempt}`)).status()).toBe(401);
      await expect(guesser.getByTestId('login-error')).toHaveText(
        'The email or password is incorrect.',
      );
    }
    // From then on every checked failure doubles the wait (1 s, 2 s, 4 s …) and attempts inside
    // it are refused unchecked. Keep guessing until the wait outlasts the next attempt by far.
    let retryAfterSeconds = 0;
    for (let attempt = 0; retryAfterSeconds < 4; attempt += 1) {
      expect(attempt).toBeLessThan(100);
      const response = await guess(`still wrong ${attempt}`);
      if (response.status() === 429) {
        retryAfterSeconds = Number(response.headers()['retry-after']);
        await expect(guesser.getByTestId('login-error')).toHaveText(/Too many failed attempts/);
      }
    }
    // Even the right password is refused from here while the wait lasts.
    expect((await guess(PASSWORD)).status()).toBe(429);
    await expect(guesser.getByTestId('login-error')).toHaveText(/Too many failed attempts/);
    await expect(guesser).toHaveURL(/\/login/);

    // The user, at another address, signs in at once.
    const elsewhere = await (
      await browser.newContext({
        baseURL: `http://localhost:${E2E_SECOND_PORT}`,
        extraHTTPHeaders: { 'X-Forwarded-For': testAddress() },
      })
    ).newPage();
    await signIn(elsewhere, user);
    await expect(elsewhere).toHaveURL(/\/accounts$/);
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
