// Sessions end for good: a signed-out session cannot be refreshed back to life by a copy of its
// cookie, and no session outlives its absolute maximum, however often it is refreshed.

import { expect, test, type BrowserContext } from '@playwright/test';
import { createTestUser, signIn } from './support/ledger';
import { startOwnServer } from './support/own-server';
import { E2E_OWN_SERVER_PORT, E2E_PORT } from './support/ports';

async function cookieHeader(context: BrowserContext) {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

/** The session cookie a refresh (GET /api/auth/session) sets, if any, and its answer. */
async function refresh(base: string, cookie: string) {
  const response = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
  const setCookie = response.headers.getSetCookie();
  const renewed = setCookie
    .map((line) => /^next-auth\.session-token=([^;]+)/.exec(line)?.[1])
    .find((value) => value !== undefined && value !== '');
  return { body: (await response.json()) as Record<string, unknown>, renewed };
}

async function isSignedIn(base: string, cookie: string): Promise<boolean> {
  const response = await fetch(`${base}/accounts`, { headers: { cookie }, redirect: 'manual' });
  return response.status === 200;
}

test('a copy of a signed-out session’s cookie cannot refresh it back to life', async ({
  page,
  context,
}) => {
  const base = `http://localhost:${E2E_PORT}`;
  const auditor = await createTestUser('auditor');
  await signIn(page, auditor);
  const copy = await cookieHeader(context);
  expect((await refresh(base, copy)).renewed).toBeTruthy();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  const attempt = await refresh(base, copy);
  expect(attempt.renewed).toBeUndefined();
  expect(attempt.body).toEqual({});
  expect(await isSignedIn(base, copy)).toBe(false);
});

test('no session outlives its absolute maximum, however often it is refreshed', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  const server = await startOwnServer(E2E_OWN_SERVER_PORT, {
    CHRONICLE_SESSION_MAX_AGE_SECONDS: '60',
    CHRONICLE_SESSION_ABSOLUTE_MAX_SECONDS: '6',
  });
  try {
    const auditor = await createTestUser('auditor');
    await signIn(page, auditor, undefined, server.url);
    let cookie = await cookieHeader(context);
    await page.goto('about:blank');
    expect(await isSignedIn(server.url, cookie)).toBe(true);
    // Keep refreshing, as an open tab (or an attacker with the cookie) would.
    for (let second = 0; second < 8; second += 1) {
      const { renewed } = await refresh(server.url, cookie);
      if (renewed) cookie = `next-auth.session-token=${renewed}`;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(await isSignedIn(server.url, cookie)).toBe(false);
  } finally {
    await server.stop();
  }
});
