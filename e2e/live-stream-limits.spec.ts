// The live-update stream's limits, over real HTTP: a client that stops reading costs the server a
// bounded amount of memory however much is written meanwhile, and is told to reset; each user
// holds a bounded number of streams; streams end when their session signs out; checkpoints the
// server never issued are refused once.

import http from 'node:http';
import { expect, test } from '@playwright/test';
import { importHistory } from '../lib/server/import/import-history';
import { createAccount, createTestUser, signIn } from './support/ledger';
import { startOwnServer } from './support/own-server';
import { E2E_OWN_SERVER_PORT, E2E_PORT } from './support/ports';

/** Opens a stream with Node's own HTTP client, whose socket can be paused. */
function openStream(url: string, cookie: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { cookie } }, resolve).on('error', reject);
  });
}

async function cookieHeader(context: import('@playwright/test').BrowserContext) {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test('a client that stops reading while 50,000 events are written costs bounded memory and is told to reset', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  // A low resume limit, so that the writes below put the paused client beyond it quickly. No
  // signing key and no background jobs: sealing the 50,000 events into checkpoints and verifying
  // them would grow this server's memory too (by tens of MB, seen in CI), and what is measured
  // here is the stream alone.
  const server = await startOwnServer(E2E_OWN_SERVER_PORT, {
    CHRONICLE_STREAM_RESUME_LIMIT: '2000',
    CHRONICLE_SIGNING_KEY: '',
    CHRONICLE_BACKGROUND_JOBS: 'off',
  });
  try {
    const auditor = await createTestUser('auditor');
    await signIn(page, auditor, undefined, server.url);
    const cookie = await cookieHeader(context);
    await page.goto('about:blank');
    const accountId = await createAccount();

    const response = await openStream(`${server.url}/api/events/stream`, cookie);
    expect(response.statusCode).toBe(200);
    const first = await new Promise<Buffer>((resolve) => response.once('data', resolve));
    expect(first.toString()).toMatch(/^retry:/);
    // Stop reading: from now on the server can send only what the socket buffers hold.
    response.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = server.residentBytes();

    const base = Date.now();
    await importHistory({
      actor: 'system:e2e',
      batchSize: 5_000,
      commands: Array.from({ length: 50_000 }, (_, index) => ({
        occurredAt: new Date(base + index),
        command: { type: 'deposit' as const, accountId, amount: '0.01', source: '', reference: '' },
      })),
    });
    // Several poll intervals for the server to notice, and to pile up a backlog if it would.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const growthBytes = server.residentBytes() - before;

    // Read on: the stream must end with a reset long before the 50,000 events.
    let received = '';
    response.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    response.resume();
    const ended = await Promise.race([
      new Promise((resolve) => response.once('end', () => resolve(true))),
      new Promise((resolve) => setTimeout(() => resolve(false), 30_000)),
    ]);
    response.destroy();
    const delivered = received.split('event: ledger').length - 1;
    expect(ended).toBe(true);
    expect(received).toContain('event: reset');
    // Nothing beyond the resume limit was queued for it: once that far behind, it gets a reset.
    expect(delivered).toBeLessThanOrEqual(2_000);
    // The 50,000 events as stream text alone would be about 11 MB, plus their objects.
    expect(growthBytes, `the server grew by ${Math.round(growthBytes / 1e6)} MB`).toBeLessThan(
      24 * 1024 * 1024,
    );
  } finally {
    await server.stop();
  }
});

test('a user may hold only a few streams at once: beyond them, 429', async ({ page, context }) => {
  const auditor = await createTestUser('auditor');
  await signIn(page, auditor);
  const cookie = await cookieHeader(context);
  // The accounts page the sign-in lands on holds one of the user's six streams. It is counted
  // rather than closed: when a browser lets go of a stream is up to the browser.
  await expect(page.getByTestId('live-status').filter({ visible: true })).toHaveAttribute(
    'data-status',
    'live',
  );
  const streams: http.IncomingMessage[] = [];
  try {
    for (let index = 0; index < 5; index += 1) {
      const response = await openStream(`http://localhost:${E2E_PORT}/api/events/stream`, cookie);
      expect(response.statusCode).toBe(200);
      streams.push(response);
    }
    const refused = await fetch(`http://localhost:${E2E_PORT}/api/events/stream`, {
      headers: { cookie },
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  } finally {
    for (const stream of streams) stream.destroy();
  }
  // Closed streams free their places.
  await expect
    .poll(
      async () =>
        (await fetch(`http://localhost:${E2E_PORT}/api/events/stream?after=0-0`, {
          headers: { cookie },
          signal: AbortSignal.timeout(5_000),
        }).then((response) => {
          void response.body?.cancel();
          return response.status;
        })) ?? 0,
      { timeout: 10_000 },
    )
    .toBe(200);
});

test('signing out ends the session’s streams, and its cookie opens no new one', async ({
  page,
  context,
}) => {
  const support = await createTestUser('support');
  await signIn(page, support);
  const cookie = await cookieHeader(context);
  const response = await openStream(`http://localhost:${E2E_PORT}/api/events/stream`, cookie);
  expect(response.statusCode).toBe(200);
  const ended = new Promise((resolve) => response.once('end', resolve));
  response.resume();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await ended;
  // A copy of the signed-out cookie (a stolen one, say) is refused everywhere.
  const again = await fetch(`http://localhost:${E2E_PORT}/api/events/stream`, {
    headers: { cookie },
  });
  expect(again.status).toBe(401);
  const pageAgain = await fetch(`http://localhost:${E2E_PORT}/accounts`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect([302, 303, 307]).toContain(pageAgain.status);
});

test('checkpoints the server never issued are refused with 400 once', async ({ page, context }) => {
  const auditor = await createTestUser('auditor');
  await signIn(page, auditor);
  const cookie = await cookieHeader(context);
  for (const [query, headers] of [
    ['after=99999999999999999999-1', {}],
    ['after=1-9223372036854775808', {}],
    ['after=garbage', {}],
    ['', { 'last-event-id': '18446744073709551616-5' }],
    ['account=not%20an%20id', {}],
  ] as const) {
    const response = await fetch(`http://localhost:${E2E_PORT}/api/events/stream?${query}`, {
      headers: { cookie, ...headers },
    });
    expect(response.status, query || JSON.stringify(headers)).toBe(400);
  }
  const accountId = await createAccount({ balance: '1.00' });
  const timeline = await fetch(
    `http://localhost:${E2E_PORT}/api/accounts/${accountId}/timeline?before=3000000000`,
    { headers: { cookie } },
  );
  expect(timeline.status).toBe(400);
});

test('a stream ends when its session expires', async ({ page, context }) => {
  const server = await startOwnServer(E2E_OWN_SERVER_PORT, {
    CHRONICLE_SESSION_MAX_AGE_SECONDS: '4',
  });
  try {
    const auditor = await createTestUser('auditor');
    await signIn(page, auditor, undefined, server.url);
    const cookie = await cookieHeader(context);
    await page.goto('about:blank');
    const response = await openStream(`${server.url}/api/events/stream`, cookie);
    expect(response.statusCode).toBe(200);
    response.resume();
    const ended = await Promise.race([
      new Promise((resolve) => response.once('end', () => resolve(true))),
      new Promise((resolve) => setTimeout(() => resolve(false), 15_000)),
    ]);
    response.destroy();
    expect(ended).toBe(true);
    const again = await fetch(`${server.url}/api/events/stream`, { headers: { cookie } });
    expect(again.status).toBe(401);
  } finally {
    await server.stop();
  }
});
