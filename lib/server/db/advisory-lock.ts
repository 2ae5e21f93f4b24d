// Work done once across app instances: whoever takes a PostgreSQL session advisory lock does it,
// the others skip their turn. The lock belongs to one pooled connection, which the work uses and
// which is released only after the lock is.

import type { Pool, PoolClient } from './pool';

/** The keys of Chronicle's advisory locks: one per kind of background work. */
export const ADVISORY_LOCKS = {
  /** "chronicle:verify": the incremental integrity pass. */
  verifyNewEvents: 7_422_418_001,
  /** "chronicle:verify-all": a full re-verification. */
  fullVerification: 7_422_418_002,
  /** "chronicle:maintenance": pruning expired rows. */
  maintenance: 7_422_418_003,
  /** "chronicle:hold-sweep": recording the expiry of holds. */
  holdSweep: 7_422_418_004,
  /** "chronicle:seal": sealing checkpoints (numbered without gaps, one sealer at a time). */
  checkpointSeal: 7_422_418_005,
} as const;

export type LockOutcome<T> =
  { readonly locked: true; readonly value: T } | { readonly locked: false };

/** Runs `work` on a connection holding the lock `key`, or not at all when another holds it. */
export async function withAdvisoryLock<T>(
  db: Pool,
  key: (typeof ADVISORY_LOCKS)[keyof typeof ADVISORY_LOCKS],
  work: (client: PoolClient) => Promise<T>,
): Promise<LockOutcome<T>> {
  const client = await db.connect();
  try {
    const taken = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [key],
    );
    if (!taken.rows[0]?.locked) return { locked: false };
    try {
      return { locked: true, value: await work(client) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}
