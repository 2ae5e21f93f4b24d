// `npm start` serves with one worker per core. Against a server of two workers (no Redis: what
// must reach every worker goes through PostgreSQL), the API keeps every promise it makes with
// one: refusals arrive typed, a repeated key has one effect, and a revoked key stops working on
// every worker, not only on the one that heard of it first. The back office's live streams too:
// a sign-out or a disabled user ends them on every worker at once, and the per-user cap on them
// holds for the server, not per worker.

import http from 'node:http';
import { readFileSync } from 'node:fs';
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from '@playwright/test';
import { revokeApiKey } from '../../lib/server/api-keys/revoke-api-key';
import { createTestUser, PASSWORD, setUserDisabled } from '../support/ledger';
import { startOwnServer, processHolding, processTree, type OwnServer } from '../support/own-server';
import { E2E_OWN_SERVER_PORT } from '../support/ports';
import { csrfToken, signInOverHttp } from '../support/sign-in';
import {
  client,
  createTestApiKey,
  expectOneEffectPerKey,
  expectOnlyWhatFitsSucceeds,
} from './support';

let server: OwnServer;
const MAX_STREAMS = 4;

test.beforeAll(async () => {
  server = await startOwnServer(E2E_OWN_SERVER_PORT, {
    WEB_CONCURRENCY: '2',
    REDIS_URL: '',
    // Far beyond the tests' few seconds: a stream that ends was ended by the notice, not by its
    // periodic re-check.
    CHRONICLE_STREAM_RECHECK_MS: '600000',
    CHRONICLE_MAX_STREAMS_PER_USER: String(MAX_STREAMS),
  });
});

test.afterAll(async () => {
  await server?.stop();
});

async function clusterClient(key: string) {
  const context = await playwrightRequest.newContext({ baseURL: server.url });
  return { api: client(context, key), dispose: () => context.dispose() };
}

test('a supervisor and two workers serve', () => {
  const serving = processTree(server.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('scripts/serve.ts');
    } catch {
      return false;
    }
  });
  // tsx's own launcher, the supervisor, and its two workers.
  expect(serving.length).toBeGreaterThanOrEqual(3);
});

test('withdrawals from both workers share one batcher: only what fits succeeds, refusals typed', async () => {
  const { key } = await createTestApiKey('support', 'cluster');
  const { api, dispose } = await clusterClient(key);
  try {
    await expectOnlyWhatFitsSucceeds(api);
  } finally {
    await dispose();
  }
});

test('the same Idempotency-Key sent to both workers at once: one effect, identical answers', async () => {
  const { key } = await createTestApiKey('support', 'cluster');
  const { api, dispose } = await clusterClient(key);
  try {
    await expectOneEffectPerKey(api);
  } finally {
    await dispose();
  }
});

test('a key revoked elsewhere stops working on every worker', async () => {
  const created = await createTestApiKey('auditor', 'cluster');
  const { api, dispose } = await clusterClient(created.key);
  try {
    // Both workers have checked (and cached) the key.
    for (let index = 0; index < 20; index += 1)
      expect((await api.get('/api/v1/accounts?limit=1')).status()).toBe(200);
    // Revoked by this process: a third one, as the CLI or another instance would be.
    await revokeApiKey({ id: created.id, actor: 'system:e2e' });
    await expect.poll(async () => (await api.get('/api/v1/accounts?limit=1')).status()).toBe(401);
    const after = await Promise.all(
      Array.from({ length: 20 }, () => api.get('/api/v1/accounts?limit=1')),
    );
    expect(after.map((response) => response.status())).toEqual(Array(20).fill(401));
  } finally {
    await dispose();
  }
});

interface OpenedStream {
  readonly status: number;
  /** The worker process holding the connection. */
  readonly worker: number | undefined;
  readonly response: http.IncomingMessage;
  close(): void;
}

/**
 * Requests a live stream on a connection of its own (so the cluster hands each to the next
 * worker in turn), kept open after the answer so that /proc shows which worker holds it.
 */
function openStream(cookie: string): Promise<OpenedStream> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const request = http
      .get(`${server.url}/api/events/stream`, { agent, headers: { cookie } }, (response) => {
        clearTimeout(unanswered);
        resolve({
          status: response.statusCode ?? 0,
          worker: processHolding(server, response.socket.localPort ?? 0),
          response,
          close: () => {
            response.destroy();
            agent.destroy();
          },
        });
      })
      .on('error', reject);
    // A connection the cluster lost (handed to a worker as it died) fails instead of hanging.
    const unanswered = setTimeout(() => request.destroy(new Error('no answer')), 10_000);
  });
}

/** Signs `email` in over HTTP; the context keeps the session cookie. */
async function signedIn(email: string): Promise<{ request: APIRequestContext; cookie: string }> {
  const request = await playwrightRequest.newContext({ baseURL: server.url });
  expect((await signInOverHttp(request, { email, password: PASSWORD })).hasSession).toBe(true);
  const cookie = (await request.storageState()).cookies
    .map((entry) => `${entry.name}=${entry.value}`)
    .join('; ');
  return { request, cookie };
}

/** Opens `count` streams, which the cluster spreads over both workers. */
async function openSpreadStreams(cookie: string, count: number): Promise<OpenedStream[]> {
  const streams: OpenedStream[] = [];
  for (let index = 0; index < count; index += 1) streams.push(await openStream(cookie));
  expect(streams.map((stream) => stream.status)).toEqual(Array(count).fill(200));
  const workers = new Set(streams.map((stream) => stream.worker));
  expect(workers.has(undefined)).toBe(false);
  expect(workers.size, 'the streams were spread over both workers').toBe(2);
  return streams;
}

/** Whether every stream ends (the server closes it) within `ms`. */
async function allEndWithin(streams: readonly OpenedStream[], ms: number): Promise<boolean[]> {
  return Promise.all(
    streams.map(
      (stream) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), ms);
          stream.response.once('end', () => {
            clearTimeout(timer);
            resolve(true);
          });
          stream.response.resume();
        }),
    ),
  );
}

/**
 * Signs a new user of `role` in, opens the most live streams they may have spread over both
 * workers, runs `work`, then closes every stream still in `streams` and the session's context.
 */
async function withSpreadStreams(
  role: 'auditor' | 'support',
  work: (session: {
    user: Awaited<ReturnType<typeof createTestUser>>;
    request: APIRequestContext;
    cookie: string;
    streams: OpenedStream[];
  }) => Promise<void>,
): Promise<void> {
  const user = await createTestUser(role);
  const { request, cookie } = await signedIn(user.email);
  const streams = await openSpreadStreams(cookie, MAX_STREAMS);
  try {
    await work({ user, request, cookie, streams });
  } finally {
    for (const stream of streams) stream.close();
    await request.dispose();
  }
}

test('signing out ends the session’s live streams on every worker within moments', async () => {
  await withSpreadStreams('auditor', async ({ request, cookie, streams }) => {
    const ended = allEndWithin(streams, 5_000);
    // Handled by one worker; the streams on the other end through PostgreSQL's notice.
    const signOut = await request.post('/api/auth/signout', {
      form: { csrfToken: await csrfToken(request), callbackUrl: '/login', json: 'true' },
      maxRedirects: 0,
    });
    expect(signOut.status()).toBe(200);
    expect(await ended).toEqual(Array(streams.length).fill(true));
    // The cookie opens nothing, on either worker.
    for (let index = 0; index < 2; index += 1) {
      const again = await openStream(cookie);
      again.close();
      expect(again.status).toBe(401);
    }
  });
});

test('disabling a user ends their live streams on every worker within moments', async () => {
  await withSpreadStreams('support', async ({ user, streams }) => {
    const ended = allEndWithin(streams, 5_000);
    // From this process, as another instance, the CLI or psql would.
    await setUserDisabled(user.id, true);
    expect(await ended).toEqual(Array(streams.length).fill(true));
  });
});

test('the per-user cap on live streams holds across the workers', async () => {
  await withSpreadStreams('auditor', async ({ cookie, streams }) => {
    // Counted per worker, each worker would take more; counted for the server, none does.
    const refused: OpenedStream[] = [];
    for (let index = 0; index < 6; index += 1) {
      const attempt = await openStream(cookie);
      attempt.close();
      refused.push(attempt);
    }
    expect(refused.map((attempt) => attempt.status)).toEqual(Array(6).fill(429));
    expect(new Set(refused.map((attempt) => attempt.worker)).size).toBe(2);

    // A place freed on one worker can be taken on either.
    (streams.shift() as OpenedStream).close();
    await expect
      .poll(
        async () => {
          const attempt = await openStream(cookie);
          if (attempt.status === 200) streams.push(attempt);
          else attempt.close();
          return attempt.status;
        },
        { timeout: 10_000 },
      )
      .toBe(200);
    const beyond = await openStream(cookie);
    beyond.close();
    expect(beyond.status).toBe(429);
  });
});

// Last: it kills a worker (the supervisor starts another).
test('a worker that dies gives back its streams’ places', async () => {
  await withSpreadStreams('auditor', async ({ cookie, streams }) => {
    const victim = streams[0]?.worker as number;
    const lost = streams.filter((stream) => stream.worker === victim).length;
    const serving = processTree(server.pid).length;
    process.kill(victim, 'SIGKILL');
    // Until the supervisor has seen it die, the cluster may still hand it connections (and lose
    // them); once its replacement is forked, it has.
    await expect
      .poll(() => {
        const tree = processTree(server.pid);
        return !tree.includes(victim) && tree.length === serving;
      })
      .toBe(true);
    // Exactly the dead worker's places come free: that many streams open again, no more.
    const reopened: OpenedStream[] = [];
    await expect
      .poll(
        async () => {
          const attempt = await openStream(cookie).catch(() => null);
          if (attempt?.status === 200) reopened.push(attempt);
          else attempt?.close();
          return reopened.length;
        },
        { timeout: 30_000 },
      )
      .toBe(lost);
    streams.push(...reopened);
    const beyond = await openStream(cookie);
    beyond.close();
    expect(beyond.status).toBe(429);
  });
});
