// Heavy reads on a real streaming replica: given a primary and a standby of our own (the system
// PostgreSQL accepts no replication connections), when callers write and read through the real
// API route handlers, then reads run on the replica, yet every author sees their own writes, a
// replica that lags, hangs or dies costs time and never a wrong answer, and without DATABASE_REPLICA_URL
// everything stays on the primary.

import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as openAccountRoute } from '../../../app/api/v1/accounts/route';
import { GET as getAccountRoute } from '../../../app/api/v1/accounts/[id]/route';
import { POST as depositRoute } from '../../../app/api/v1/accounts/[id]/deposits/route';
import { GET as eventFeedRoute } from '../../../app/api/v1/events/route';
import { GET as healthRoute } from '../../../app/api/health/route';
import { startReplicatedServers, type ReplicatedServers } from '../../../test/streaming-replica';
import { createApiKey } from '../api-keys/create-api-key';
import { currentCheckpoint, readGlobalLog } from '../event-store/read-global-log';
import { createUser } from '../users/create-user';
import { migrate } from './apply-migrations';
import { closeGlobalDatabase, getPool, type Queryable } from './pool';
import { AppError } from '../../errors';
import {
  closeReadPools,
  readPoolFor,
  rememberCommit,
  replicaStatuses,
  snapshotFor,
} from './read-pool';

type Route = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

let servers: ReplicatedServers | undefined;
let standbyAdmin: pg.Client | undefined;
/** Whoever is not the author of a write: an API key that never writes. */
let readerKey = '';
/** Writes through the API. */
let authorKey = '';
let authorActor = '';

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the servers did not start');
  return value;
}

async function call(
  route: Route,
  options: {
    path: string;
    key: string;
    params?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  },
): Promise<Response> {
  const isPost = options.body !== undefined;
  const request = new Request(`http://localhost${options.path}`, {
    method: isPost ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${options.key}`,
      ...(isPost ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      ...options.headers,
    },
    ...(isPost ? { body: JSON.stringify(options.body) } : {}),
  });
  return route(request, { params: Promise.resolve(options.params ?? {}) });
}

/** The balance as of now, as the API answers `key`. */
async function balanceAsOfNow(
  accountId: string,
  key: string,
  headers?: Record<string, string>,
): Promise<string> {
  const at = new Date(Date.now() + 60_000).toISOString();
  const response = await call(getAccountRoute as Route, {
    path: `/api/v1/accounts/${accountId}?at=${encodeURIComponent(at)}`,
    key,
    params: { id: accountId },
    ...(headers ? { headers } : {}),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { balance: string }).balance;
}

/** The ids of the events the feed answers `key` after `position`. */
async function feedPage(
  position: string,
  key: string,
  headers?: Record<string, string>,
): Promise<string[]> {
  const response = await call(eventFeedRoute as Route, {
    path: `/api/v1/events?after=${position}`,
    key,
    ...(headers ? { headers } : {}),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Array<{ id: string }> }).items.map((item) => item.id);
}

async function deposit(accountId: string, amount: string): Promise<Response> {
  const response = await call(depositRoute as Route, {
    path: `/api/v1/accounts/${accountId}/deposits`,
    key: authorKey,
    params: { id: accountId },
    body: { amount },
  });
  expect(response.status).toBe(201);
  return response;
}

/** An account opened by the author, once the standby has replayed it; returns its id. */
async function openReplicatedAccount(ownerId: string, initialBalance: string): Promise<string> {
  const opened = await call(openAccountRoute as Route, {
    path: '/api/v1/accounts',
    key: authorKey,
    body: { ownerId, currency: 'USD', initialBalance },
  });
  expect(opened.status).toBe(201);
  await waitForReplay();
  return ((await opened.json()) as { id: string }).id;
}

async function health(): Promise<{ status: string; replicas?: unknown }> {
  const response = await (healthRoute as Route)(new Request('http://localhost/api/health'), {
    params: Promise.resolve({}),
  });
  return (await response.json()) as { status: string; replicas?: unknown };
}

async function isStandby(db: Queryable): Promise<boolean> {
  const result = await db.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  return result.rows[0]?.standby ?? false;
}

/** Until the standby has replayed everything the primary has flushed. */
async function waitForReplay(): Promise<void> {
  const target = await getPool().query<{ lsn: string }>(
    'SELECT pg_current_wal_flush_lsn()::text AS lsn',
  );
  for (let attempt = 0; attempt < 500; attempt++) {
    const result = await required(standbyAdmin).query<{ done: boolean }>(
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
      [target.rows[0]?.lsn],
    );
    if (result.rows[0]?.done) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the standby did not catch up');
}

async function setReplayPaused(paused: boolean): Promise<void> {
  const admin = required(standbyAdmin);
  await admin.query(paused ? 'SELECT pg_wal_replay_pause()' : 'SELECT pg_wal_replay_resume()');
  for (let attempt = 0; attempt < 500; attempt++) {
    const result = await admin.query<{ state: string }>(
      'SELECT pg_get_wal_replay_pause_state() AS state',
    );
    if ((result.rows[0]?.state === 'paused') === paused) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`replay was not ${paused ? 'paused' : 'resumed'}`);
}

async function apiKey(label: string): Promise<{ key: string; actor: string }> {
  const owner = await createUser({
    input: {
      email: `${label}-${randomBytes(3).toString('hex')}@example.test`,
      name: label,
      role: 'admin',
      password: 'a long enough password',
    },
    actor: 'system:test',
  });
  const created = await createApiKey({
    input: { name: label, role: 'admin' },
    ownerId: owner.id,
    actor: `user:${owner.id}`,
  });
  return { key: created.key, actor: `api_key:${created.id}` };
}

beforeAll(async () => {
  servers = await startReplicatedServers();
  try {
    await migrate({ connectionString: servers.primaryUrl });
    // The per-file setup pointed the app at a database of the shared test server; this file's
    // app talks to its own primary and standby instead.
    await closeGlobalDatabase();
    process.env.DATABASE_URL = servers.primaryUrl;
    process.env.DATABASE_REPLICA_URL = servers.standbyUrl;
    process.env.CHRONICLE_REPLICA_MAX_LAG_MS = '2000';
    // Longer than the default 75 ms, so that a busy CI machine's replay cannot make the reads
    // this file expects on the replica go to the primary.
    process.env.CHRONICLE_REPLICA_WAIT_MS = '300';
    // A replica query unanswered for a second is asked of the primary (the hung-replica test).
    process.env.CHRONICLE_REPLICA_QUERY_TIMEOUT_MS = '1000';
    standbyAdmin = new pg.Client({ connectionString: servers.standbyUrl });
    await standbyAdmin.connect();
    readerKey = (await apiKey('reader')).key;
    ({ key: authorKey, actor: authorActor } = await apiKey('author'));
    await waitForReplay();
  } catch (error) {
    await standbyAdmin?.end().catch(() => undefined);
    await servers.stop();
    throw error;
  }
});

afterAll(async () => {
  await closeGlobalDatabase();
  await standbyAdmin?.end().catch(() => undefined);
  await servers?.stop();
  delete process.env.DATABASE_REPLICA_URL;
  delete process.env.CHRONICLE_REPLICA_MAX_LAG_MS;
  delete process.env.CHRONICLE_REPLICA_WAIT_MS;
  delete process.env.CHRONICLE_REPLICA_QUERY_TIMEOUT_MS;
});

describe('heavy reads with a streaming replica', () => {
  it('run on the replica, and every author sees their own write at once', async () => {
    const opened = await call(openAccountRoute as Route, {
      path: '/api/v1/accounts',
      key: authorKey,
      body: { ownerId: 'owner-replica', currency: 'USD', initialBalance: '100.00' },
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('x-chronicle-commit-lsn')).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const accountId = ((await opened.json()) as { id: string }).id;
    await waitForReplay();

    // Given a replica that has everything, heavy reads run there: the as-of query is the last
    // thing a replica connection of the app ran (pg_stat_activity keeps its first kilobyte).
    expect(await isStandby(readPoolFor({ caller: 'api_key:nobody' }))).toBe(true);
    expect(await balanceAsOfNow(accountId, readerKey)).toBe('100.00');
    const onStandby = await required(standbyAdmin).query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = 'chronicle-replica-reads' AND query LIKE 'SELECT a.id, a.owner_id%'`,
    );
    expect(onStandby.rows[0]?.n).toBeGreaterThan(0);
    // The global log's commit-safe reads work on a standby as they do on the primary.
    const standby = required(standbyAdmin);
    const fromStandby = await readGlobalLog(standby, { after: await currentCheckpoint(standby) });
    expect(fromStandby.events).toEqual([]);
    expect((await readGlobalLog(standby, { limit: 1_000 })).events.length).toBe(
      (await readGlobalLog(getPool(), { limit: 1_000 })).events.length,
    );
    const head = await getPool().query<{ position: string }>(
      'SELECT max(global_position)::text AS position FROM events',
    );
    const feedAfterHead = (headers?: Record<string, string>) =>
      feedPage(head.rows[0]?.position ?? '0', readerKey, headers);

    // When replay stops and the author deposits, the replica still counts as fresh (it was
    // current less than 2 s ago).
    await setReplayPaused(true);
    try {
      const deposited = await deposit(accountId, '5.00');
      const commitLsn = deposited.headers.get('x-chronicle-commit-lsn') ?? '';
      expect(commitLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const [depositEvent] = (
        (await deposited.json()) as { events: Array<{ id: string; position: string }> }
      ).events;
      const depositId = depositEvent?.id;

      // Then a reader who brings no position is given the replica, the author (remembered by
      // this process) or anyone who brings the author's position is not.
      expect(await isStandby(readPoolFor({ caller: 'api_key:nobody' }))).toBe(true);
      expect(await isStandby(readPoolFor({ caller: authorActor }))).toBe(false);
      expect(await isStandby(readPoolFor({ minLsn: commitLsn }))).toBe(false);
      // The feed, which may lag within the bound, reads the replica: the deposit is not there
      // yet; brought the author's position, it is.
      expect(await feedAfterHead()).toEqual([]);
      expect(await feedAfterHead({ 'X-Chronicle-Min-LSN': commitLsn })).toEqual([depositId]);
      // Asked for events after a position only the primary has, the feed asks the primary rather
      // than calling that position unknown.
      expect(await feedPage(depositEvent?.position ?? '', readerKey)).toEqual([]);

      // The author's as-of read waits out the replica, then the primary answers with the deposit.
      const started = performance.now();
      expect(await balanceAsOfNow(accountId, authorKey)).toBe('105.00');
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      // An API reader that brings no position is answered as of the moment it asks: it might
      // have written through another process.
      expect(await balanceAsOfNow(accountId, readerKey)).toBe('105.00');

      // Once the replica has lagged past the bound (2 s, plus the probe's second), even the feed
      // is answered by the primary.
      await new Promise((resolve) => setTimeout(resolve, 3_300));
      expect(await feedAfterHead()).toEqual([depositId]);
      const [status] = await replicaStatuses();
      expect(status?.isHealthy).toBe(false);
      expect(status?.lagBytes).toBeGreaterThan(0);
    } finally {
      await setReplayPaused(false);
    }

    // When replay resumes, the replica serves again once a probe finds it current.
    await waitForReplay();
    for (let attempt = 0; attempt < 100 && !(await isStandby(readPoolFor())); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await isStandby(readPoolFor())).toBe(true);
    expect(await balanceAsOfNow(accountId, readerKey)).toBe('105.00');
    expect((await replicaStatuses())[0]?.isHealthy).toBe(true);
    expect(await health()).toMatchObject({ replicas: { configured: 1, healthy: 1 } });
  });

  it('runs a read that needs one snapshot on the replica, in a read-only repeatable-read transaction', async () => {
    await waitForReplay();
    const settings = await snapshotFor({ caller: 'api_key:nobody' })(async (tx) => {
      const result = await tx.query<{ standby: boolean; isolation: string; readOnly: string }>(
        `SELECT pg_is_in_recovery() AS standby,
                current_setting('transaction_isolation') AS isolation,
                current_setting('transaction_read_only') AS "readOnly"`,
      );
      return result.rows[0];
    });
    expect(settings).toEqual({ standby: true, isolation: 'repeatable read', readOnly: 'on' });
    // The read's own refusal is its answer: not asked again of the primary.
    let attempts = 0;
    await expect(
      snapshotFor()(async () => {
        attempts += 1;
        throw new AppError('not_found', 'No such window.');
      }),
    ).rejects.toThrow('No such window.');
    expect(attempts).toBe(1);
  });

  it('answers from the primary, correctly and within the query timeout, when the replica hangs', async () => {
    const accountId = await openReplicatedAccount('owner-frozen-replica', '4.00');
    // The replica was just probed and holds idle connections: the next reads go to it.
    expect(await isStandby(readPoolFor({ caller: 'api_key:nobody' }))).toBe(true);
    expect(await balanceAsOfNow(accountId, readerKey)).toBe('4.00');
    const thaw = await required(servers).freezeStandby();
    try {
      const started = performance.now();
      expect(await isStandby(readPoolFor({ caller: 'api_key:nobody' }))).toBe(false);
      // Given up on after the timeout (1 s here), not waited for forever.
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      expect(performance.now() - started).toBeLessThan(10_000);
      await deposit(accountId, '2.00');
      expect(await balanceAsOfNow(accountId, readerKey)).toBe('6.00');
      expect(await snapshotFor({ caller: 'api_key:nobody' })((tx) => isStandby(tx))).toBe(false);
      expect((await replicaStatuses())[0]?.isHealthy).toBe(false);
    } finally {
      await thaw();
    }
  });

  it('answers from the primary, correctly, when the replica is dead', async () => {
    const accountId = await openReplicatedAccount('owner-dead-replica', '7.00');
    await required(standbyAdmin).end();
    standbyAdmin = undefined;
    await required(servers).stopStandby();

    await deposit(accountId, '3.00');
    expect(await balanceAsOfNow(accountId, readerKey)).toBe('10.00');
    expect(await balanceAsOfNow(accountId, authorKey)).toBe('10.00');
    expect(await isStandby(readPoolFor({ caller: 'api_key:nobody' }))).toBe(false);
    expect(await snapshotFor({ caller: 'api_key:nobody' })((tx) => isStandby(tx))).toBe(false);
    expect((await replicaStatuses())[0]?.isHealthy).toBe(false);
    expect(await health()).toMatchObject({
      status: 'degraded',
      replicas: { configured: 1, healthy: 0 },
    });
  });

  it('stays on the primary without DATABASE_REPLICA_URL: no replica, no extra query', async () => {
    delete process.env.DATABASE_REPLICA_URL;
    await closeReadPools();
    expect(readPoolFor({ caller: 'api_key:anyone', minLsn: 'FF/0' })).toBe(getPool());
    expect(await rememberCommit('api_key:anyone')).toBeNull();
    expect(await replicaStatuses()).toEqual([]);
    expect(await health()).not.toHaveProperty('replicas');
    const opened = await call(openAccountRoute as Route, {
      path: '/api/v1/accounts',
      key: authorKey,
      body: { ownerId: 'owner-primary-only', currency: 'USD', initialBalance: '1.00' },
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.has('x-chronicle-commit-lsn')).toBe(false);
    const accountId = ((await opened.json()) as { id: string }).id;
    expect(await balanceAsOfNow(accountId, readerKey)).toBe('1.00');
  });
});
