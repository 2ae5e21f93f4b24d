// Helpers shared by integration tests.

import { AppError } from '../lib/errors';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPool, getPool, type Pool } from '../lib/server/db/pool';
import { openAccount } from '../lib/server/commands/open-account';
import type { CommandContext } from '../lib/server/pipeline/command-context';

/** A context with a fresh idempotency key, as a distinct request from `actor` would have. */
export function context(overrides: Partial<CommandContext> = {}): CommandContext {
  return { actor: 'user:test-support', idempotencyKey: randomUUID(), ...overrides };
}

let counter = 0;
/** A unique account id for this test run. */
export function accountId(label = 'acc'): string {
  counter += 1;
  return `${label}-${counter}-${randomUUID().slice(0, 8)}`;
}

export async function openTestAccount(
  options: { id?: string; balance?: string; currency?: string; ownerId?: string } = {},
) {
  const id = options.id ?? accountId();
  await openAccount({
    input: {
      id,
      ownerId: options.ownerId ?? 'owner-test',
      currency: options.currency ?? 'USD',
      initialBalance: options.balance,
    },
    context: context(),
  });
  return id;
}

const separatePools = new Set<Pool>();

/** A separate pool (separate connections) on the test file's database, closed after the test. */
export function separatePool(max: number, applicationName = 'chronicle-test'): Pool {
  const pool = createPool(process.env.DATABASE_URL as string, { max, applicationName });
  separatePools.add(pool);
  return pool;
}

/** Closes every pool `separatePool` opened (the per-file setup calls it before dropping the database). */
export async function closeSeparatePools(): Promise<void> {
  await Promise.all([...separatePools].map((pool) => pool.end()));
  separatePools.clear();
}

/** A direct connection as the server's superuser, for tests that must step around the rules. */
export async function superuserClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

/** Counts of every table the ledger writes, to prove a refused command wrote nothing. */
export async function tableCounts(db: Pool = getPool()): Promise<Record<string, number>> {
  const result = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM events)::int AS events,
            (SELECT count(*) FROM accounts)::int AS accounts,
            (SELECT count(*) FROM balance_history)::int AS balance_history,
            (SELECT count(*) FROM charges)::int AS charges,
            (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
            (SELECT count(*) FROM approval_requests)::int AS approval_requests,
            (SELECT coalesce(sum(balance_minor), 0)::text FROM accounts) AS total_balance`,
  );
  return result.rows[0] as Record<string, number>;
}

/**
 * Waits until a connection of `applicationName` is blocked on a lock: the moment a test that
 * stages a race knows its contender is queued behind the lock it holds.
 */
export async function waitUntilBlocked(applicationName: string, count = 1): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const result = await getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = $1 AND wait_event_type = 'Lock' AND datname = current_database()`,
      [applicationName],
    );
    if ((result.rows[0]?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no connection of ${applicationName} ever waited for a lock`);
}

/** The code of the AppError `work` is refused with; fails the test when it is not refused. */
/** The typed error `work` is refused with; anything else it throws is rethrown. */
export async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

export async function refusalCode(work: Promise<unknown>): Promise<string> {
  return (await refusal(work)).code;
}
