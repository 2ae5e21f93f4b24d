// Reads and changes sign-in throttle buckets (login_throttle) under their row locks. The rules
// are in sign-in-throttle.ts; this file only makes them atomic: one statement creates missing
// buckets, locks all of them in key order (so two attempts never deadlock) and returns their
// state with the database clock, the rules decide, and the new states are written before the
// locks are released. A parallel attempt on the same bucket waits and then sees the result.

import { getPool, namedStatement, type Pool } from '../db/pool';
import type { BucketKey, BucketState } from './sign-in-throttle';

interface BucketRow {
  scope: string;
  email: string;
  client_address: string;
  failures: number;
  blocked_until: Date | null;
  last_attempt_at: Date;
  now: Date;
}

const lockBuckets = namedStatement<BucketRow>(
  'lock-login-throttle',
  `INSERT INTO login_throttle AS bucket (scope, email, client_address)
   SELECT wanted.scope, wanted.email, wanted.client_address
     FROM unnest($1::text[], $2::text[], $3::text[]) AS wanted(scope, email, client_address)
    ORDER BY wanted.scope, wanted.email, wanted.client_address
   ON CONFLICT (scope, email, client_address) DO UPDATE SET failures = bucket.failures
   RETURNING bucket.scope, bucket.email, bucket.client_address, bucket.failures,
             bucket.blocked_until, bucket.last_attempt_at, now() AS now`,
);

const writeBuckets = namedStatement(
  'write-login-throttle',
  `UPDATE login_throttle AS bucket
      SET failures = next.failures, blocked_until = next.blocked_until,
          last_attempt_at = next.last_attempt_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[])
          AS next(scope, email, client_address, failures, blocked_until, last_attempt_at)
    WHERE (bucket.scope, bucket.email, bucket.client_address)
        = (next.scope, next.email, next.client_address)`,
);

const keyOf = (key: { scope: string; email: string; clientAddress: string }) =>
  JSON.stringify([key.scope, key.email, key.clientAddress]);

/**
 * Locks the buckets, hands their states (in the order of `keys`) and the database's `now` to
 * `change`, and writes the states it returns; when it returns `next: null` nothing is written at
 * all (not even the empty buckets the lock created).
 */
export async function changeThrottleBuckets<T>(
  keys: readonly BucketKey[],
  change: (states: BucketState[], now: Date) => { next: BucketState[] | null; result: T },
  pool: Pool = getPool(),
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const locked = await lockBuckets(client, [
      keys.map((key) => key.scope),
      keys.map((key) => key.email),
      keys.map((key) => key.clientAddress),
    ]);
    const rows = new Map(
      locked.rows.map((row) => [
        keyOf({ scope: row.scope, email: row.email, clientAddress: row.client_address }),
        row,
      ]),
    );
    const now = locked.rows[0]?.now;
    if (!now || rows.size !== keys.length) throw new Error('login_throttle: a bucket is missing');
    const states = keys.map((key): BucketState => {
      const row = rows.get(keyOf(key)) as BucketRow;
      return {
        failures: row.failures,
        blockedUntil: row.blocked_until,
        lastAttemptAt: row.last_attempt_at,
      };
    });
    const { next, result } = change(states, now);
    if (next === null) {
      await client.query('ROLLBACK');
      return result;
    }
    await writeBuckets(client, [
      keys.map((key) => key.scope),
      keys.map((key) => key.email),
      keys.map((key) => key.clientAddress),
      next.map((state) => state.failures),
      next.map((state) => state.blockedUntil),
      next.map((state) => state.lastAttemptAt ?? now),
    ]);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
