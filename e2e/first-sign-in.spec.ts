// The first thing a new user does: arrive somewhere while signed out, sign in, and expect to be
// where they were going. The sign-in changes what every page shows, so nothing the browser
// fetched while signed out (prefetched pages, cached redirects) may be reused afterwards.

import { expect, test } from '@playwright/test';
import { PASSWORD, createAccountWithHistory, createTestUser } from './support/ledger';
import { settled, visit } from './support/ui';

test('from the landing page, "Open the back office" and signing in lead to the accounts list', async ({
  page,
  baseURL,
}) => {
  const user = await createTestUser('support');
  await visit(page, '/');
  // Give the router time to prefetch the link, as a visitor reading the page would.
  await page.waitForLoadState('networkidle');
  await page.getByRole('link', { name: 'Open the back office' }).click();
  await expect(page).toHaveURL(`${baseURL}/login?callbackUrl=%2Faccounts`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(`${baseURL}/accounts`);
  await settled(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText(user.name);
});

test('a deep link opened while signed out comes back to exactly that URL after signing in', async ({
  page,
  baseURL,
}) => {
  const user = await createTestUser('auditor');
  const account = await createAccountWithHistory([
    { at: '2026-03-01T09:00:00Z', command: 'open' },
    { at: '2026-03-10T10:00:00Z', command: { deposit: '1000.00' } },
    { at: '2026-03-15T14:30:00Z', command: { withdraw: '250.00' } },
  ]);
  const deepLink = `/accounts/${account}?at=2026-03-12T00:00:00.000Z`;

  await visit(page, deepLink);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(`${baseURL}${deepLink}`);
  await settled(page);
  await expect(page.getByRole('heading', { level: 1, name: account })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Time travel' }).getByTestId('as-of-balance'),
  ).toContainText('1,000.00');
});

test('signing out lands on the sign-in page, and the back office is closed again', async ({
  page,
  baseURL,
}) => {
  const user = await createTestUser('support');
  await visit(page, '/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${baseURL}/accounts`);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${baseURL}/login`);
  await visit(page, '/audit');
  await expect(page).toHaveURL(`${baseURL}/login?callbackUrl=%2Faudit`);
});
