// The sign-in page's callbackUrl comes from whoever wrote the link. Whatever it says, signing in
// (in the browser, or server-side when already signed in) must never leave Chronicle's origin.

import { expect, test } from '@playwright/test';
import { PASSWORD, createTestUser, signIn } from './support/ledger';
import { visit } from './support/ui';

// As they appear in the link, already percent-encoded for the query string.
const OFF_SITE = [
  '/%5Cevil.example',
  '%5C/evil.example',
  '/%5C%5Cevil.example',
  '//evil.example',
  '///evil.example',
  '/%09/evil.example',
  '/.//evil.example',
  'https://evil.example',
  'https://localhost%40evil.example',
  'javascript:alert(1)',
];

test('signing in from a link with an off-site callbackUrl stays on Chronicle', async ({
  page,
  baseURL,
}) => {
  const user = await createTestUser('support');
  await visit(page, '/login?callbackUrl=/%5Cevil.example');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${baseURL}/accounts`);
  await expect(page.getByTestId('current-user')).toHaveText(user.name);
});

test('a signed-in visit to the sign-in page redirects only within Chronicle', async ({
  page,
  baseURL,
}) => {
  const user = await createTestUser('support');
  await signIn(page, user);
  const origin = new URL(baseURL as string).origin;

  for (const target of OFF_SITE) {
    const response = await page.request.get(`/login?callbackUrl=${target}`, { maxRedirects: 0 });
    expect(response.status(), target).toBe(307);
    // How a browser would read the Location header.
    const location = new URL(response.headers()['location'] ?? '', `${origin}/login`);
    expect(location.href, target).toBe(`${origin}/accounts`);
  }

  const deepLink = '/accounts/acc_1?at=2026-03-15T14:47:00.000Z#timeline';
  const response = await page.request.get(`/login?callbackUrl=${encodeURIComponent(deepLink)}`, {
    maxRedirects: 0,
  });
  expect(response.status()).toBe(307);
  expect(response.headers()['location']).toBe(deepLink);
});

test("next-auth's own sign-in route hands the sign-in page only paths on Chronicle", async ({
  request,
  baseURL,
}) => {
  const origin = new URL(baseURL as string).origin;
  for (const [target, expected] of [
    ['/%5Cevil.example', '/accounts'],
    ['https://evil.example', '/accounts'],
    ['/audit?type=deposit', '/audit?type=deposit'],
  ] as const) {
    const response = await request.get(`/api/auth/signin?callbackUrl=${target}`, {
      maxRedirects: 0,
    });
    const location = new URL(response.headers()['location'] ?? '', origin);
    expect(location.pathname, target).toBe('/login');
    expect(location.searchParams.get('callbackUrl'), target).toBe(`${origin}${expected}`);
  }
});
