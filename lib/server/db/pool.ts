// The PostgreSQL connection pool. The event store and command handlers use it directly (they need
// exact control over transactions and locks); Prisma's client shares the same pool through
// @prisma/adapter-pg (see ./prisma.ts).

import pg from 'pg';
import { logLine } from '../log';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that can run a query: the pool itself or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

const DEFAULT_POOL_SIZE = 10;

export function createPool(
  connectionString: string,
  options?: {
    max?: number | undefined;
    applicationName?: string;
    connectionTimeoutMs?: number;
    /** Every query ends by then: cancelled by the server, or given up on by the client. */
    queryTimeoutMs?: number;
  },
): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options?.max ?? DEFAULT_POOL_SIZE,
    application_name: options?.applicationName ?? 'chronicle',
    // Bound every wait: a request must fail clearly rather than hang when the database is gone.
    connectionTimeoutMillis: options?.connectionTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    ...(options?.queryTimeoutMs
      ? { statement_timeout: options.queryTimeoutMs, query_timeout: options.queryTimeoutMs }
      : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => {
    // Once the pool is ending, its closing connections may be cut off (a database dropped after a
    // benchmark, say): expected, not worth an error line.
    if (pool.ending) return;
    logLine('error', 'idle database connection failed', { error: error.message });
  });
  return pool;
}

const globalForPool = globalThis as unknown as { chroniclePool?: Pool };

/**
 * The process-wide pool for DATABASE_URL. Kept on globalThis because Next.js may load this module
 * more than once (per route bundle, and again on every dev reload).
 */
export function getPool(): Pool {
  if (!globalForPool.chroniclePool) {
    const url = process.env.DATABASE_URL;
    if (!url)
      throw new Error(
        'DATABASE_URL is not set; start Chronicle with `npm start`, which provides one.',
      );
    const size = Number.parseInt(process.env.DATABASE_POOL_SIZE ?? '', 10);
    globalForPool.chroniclePool = createPool(url, {
      max: Number.isFinite(size) && size > 0 ? size : DEFAULT_POOL_SIZE,
    });
  }
  return globalForPool.chroniclePool;
}

/**
 * Runs `work` inside one transaction on one connection: COMMIT when it resolves, ROLLBACK when
 * it throws. A connection whose ROLLBACK fails is discarded rather than returned to the pool.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await transactionOn(client, work, (rollbackError) => {
      broken = rollbackError;
    });
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `work` against one consistent snapshot of the database: a read-only repeatable-read
 * transaction, so every statement in it sees the same committed state however many it runs and
 * whatever is written meanwhile.
 */
export function withSnapshot<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return work(tx);
  });
}

/**
 * Runs `work` in a transaction on a connection the caller holds (one that keeps a session-level
 * lock, say). `onBroken` hears of a ROLLBACK that failed: the connection is then unusable.
 */
export async function transactionOn<T>(
  client: PoolClient,
  work: (tx: PoolClient) => Promise<T>,
  onBroken: (error: Error) => void = () => undefined,
): Promise<T> {
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      onBroken(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
    }
    throw error;
  }
}

/**
 * A named statement: PostgreSQL parses and plans it once per connection instead of on every
 * call, which matters on the command path where every statement runs thousands of times a second.
 */
export function namedStatement<Row extends pg.QueryResultRow>(name: string, text: string) {
  return (db: Queryable, values: unknown[]): Promise<pg.QueryResult<Row>> =>
    (db as pg.Pool).query<Row>({ name: `chronicle.${name}`, text, values });
}

/** The SQLSTATE of a PostgreSQL error, if `error` is one. */
export function sqlState(error: unknown): string | undefined {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return error.code;
  }
  return undefined;
}

/** The constraint a PostgreSQL error names, if any. */
export function violatedConstraint(error: unknown): string | undefined {
  if (
    typeof error === 'object' &&
    error !== null &&
    'constraint' in error &&
    typeof error.constraint === 'string'
  ) {
    return error.constraint;
  }
  return undefined;
}

/** Closes the process-wide pool, Prisma client and listener, for scripts and tests that are done. */
export async function closeGlobalDatabase(): Promise<void> {
  const globals = globalThis as unknown as {
    chroniclePool?: Pool;
    chroniclePrisma?: { $disconnect(): Promise<void> };
    chronicleListener?: { close(): Promise<void> } | null;
    chronicleReadRouting?: { close(): Promise<void> } | null;
  };
  await globals.chronicleListener?.close();
  delete globals.chronicleListener;
  // The replica pools of ./read-pool.ts (kept there, on globalThis, to avoid an import cycle).
  const readRouting = globals.chronicleReadRouting;
  delete globals.chronicleReadRouting;
  await readRouting?.close();
  await globals.chroniclePrisma?.$disconnect();
  await globals.chroniclePool?.end();
  delete globals.chroniclePrisma;
  delete globals.chroniclePool;
}
