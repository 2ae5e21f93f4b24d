// The security headers (proxy.ts, lib/server/http/security-headers.ts), checked over HTTP and in
// Chromium: the policy is present and fresh on every page, the app still works under it without a
// single violation, it actually stops injected script, and no other page can frame Chronicle.

import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { createAccountWithHistory, createTestUser, PASSWORD } from './support/ledger';
import { expectToast, settled, visit } from './support/ui';

const API_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The CSP's directives by name. */
function directives(response: APIResponse): Map<string, string[]> {
  const header = response.headers()['content-security-policy'];
  expect(header, `no Content-Security-Policy on ${response.url()}`).toBeTruthy();
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

function nonceOf(policy: Map<string, string[]>): string {
  const nonces = (policy.get('script-src') ?? []).filter((source) => source.startsWith("'nonce-"));
  expect(nonces).toHaveLength(1);
  return (nonces[0] as string).slice("'nonce-".length, -1);
}

function expectCommonHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  // The e2e servers are plain HTTP: no HSTS there.
  expect(headers['strict-transport-security']).toBeUndefined();
}

/** Collects everything that would show the app breaking under its policy. */
async function watchForProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.exposeFunction('reportCspViolation', (text: string) =>
    problems.push(`CSP violation: ${text}`),
  );
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sample})`,
      );
    });
  });
  return problems;
}

test('every page carries the security headers and a fresh nonce that Next.js puts on its scripts', async ({
  request,
}) => {
  const nonces = new Set<string>();
  for (const path of ['/', '/', '/login', '/login?callbackUrl=%2Faudit']) {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    expectCommonHeaders(response);
    const policy = directives(response);
    const nonce = nonceOf(policy);
    nonces.add(nonce);
    expect(policy.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    // Nothing from other origins, no eval, no inline script; only style attributes are inline.
    for (const [name, sources] of policy)
      for (const source of sources)
        if (name !== 'style-src-attr' || source !== "'unsafe-inline'")
          expect(source, name).toMatch(/^('self'|'none'|'strict-dynamic'|'nonce-[\w+/=]+'|data:)$/);

    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(4);

  // A signed-out visit to the back office is still sent to sign in, with the headers on.
  const redirect = await request.get('/accounts/acc_x?at=2026-03-12T00:00:00.000Z', {
    maxRedirects: 0,
  });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers()['location']).toMatch(
    /^\/login\?callbackUrl=%2Faccounts%2Facc_x%3Fat%3D/,
  );
  expectCommonHeaders(redirect);
  expect(directives(redirect).get('frame-ancestors')).toEqual(["'none'"]);
});

test('API routes answer with a policy that allows nothing', async ({ request }) => {
  for (const path of ['/api/health', '/api/v1/openapi.json', '/api/v1/accounts']) {
    const response = await request.get(path);
    expect(response.headers()['content-security-policy'], path).toBe(API_POLICY);
    expectCommonHeaders(response);
  }
  expect((await request.get('/api/v1/accounts')).status()).toBe(401);
});

test('the back office works under the policy without a single violation', async ({
  page,
  baseURL,
}) => {
  const problems = await watchForProblems(page);
  const support = await createTestUser('support');
  const account = await createAccountWithHistory([
    { at: '2026-03-01T09:00:00Z', command: 'open' },
    { at: '2026-03-10T10:00:00Z', command: { deposit: '1000.00' } },
    { at: '2026-03-15T14:30:00Z', command: { withdraw: '250.00' } },
  ]);

  const landing = await page.goto('/');
  expect(landing?.headers()['content-security-policy']).toContain("'strict-dynamic'");
  await page.getByRole('link', { name: 'Open the back office' }).click();
  await page.getByLabel('Email').fill(support.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${baseURL}/accounts`);
  await settled(page);

  await visit(page, `/accounts/${account}?at=2026-03-12T00:00:00.000Z`);
  const timeTravel = page.getByRole('region', { name: 'Time travel' });
  await expect(timeTravel.getByTestId('as-of-balance')).toContainText('1,000.00');
  const slider = page.getByRole('slider', { name: 'Point in time to view the account at' });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(timeTravel.getByTestId('as-of-balance')).toContainText('750.00');
  // The slider's position is a style attribute: it must apply, not be blocked.
  const thumbLeft = await slider.evaluate((element) => element.style.left);
  expect(thumbLeft).toBe('100%');

  await page
    .getByTestId('account-actions')
    .getByRole('button', { name: 'Deposit', exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Amount (USD)').fill('5.00');
  await dialog.getByRole('button', { name: 'Post deposit' }).click();
  await expectToast(page, 'Deposit of 5.00 USD posted');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('account-balance')).toContainText('755.00');

  await visit(page, '/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('script injected into a page does not run', async ({ page }) => {
  const problems = await watchForProblems(page);
  await visit(page, '/login');
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<img alt="" src="/no-such-image.png" onerror="document.body.dataset.injected = \'ran\'">',
    );
  });
  await expect.poll(() => problems.join('\n')).toContain('CSP violation: script-src-attr');
  expect(await page.evaluate(() => document.body.dataset.injected)).toBeUndefined();
});

test('no other site can frame Chronicle', async ({ page, baseURL }) => {
  const framed = page.waitForResponse(`${baseURL}/login`);
  await page.setContent(`<iframe title="framed" src="${baseURL}/login"></iframe>`);
  // The app answered the frame's request; the browser must refuse to show it.
  expect((await framed).status()).toBe(200);
  await expect.poll(() => page.frames().length).toBe(2);
  const frame = page.frames()[1];
  await frame?.waitForLoadState('load');
  expect(frame?.url()).not.toBe(`${baseURL}/login`);
  await expect(
    page.frameLocator('iframe').getByRole('heading', { name: 'Sign in to Chronicle' }),
  ).toHaveCount(0);
});
