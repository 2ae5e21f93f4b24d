// Helpers for the checkpoint tests: sealing everything committed, whatever else the PostgreSQL
// server is doing.

import type { SignedCheckpoint } from '../../evidence/checkpoint';
import { getPool, type Pool } from '../db/pool';
import { sealDueCheckpoints } from './checkpoint-sealer';
import type { SigningKey } from './signing-key';

/**
 * Waits until every committed event is in commit-safe order: older than every running
 * transaction. Sealing, the incremental verifier and the global feed take only such events
 * (decision 011), and transaction ids belong to the server, not to one database: a transaction in
 * another database of the same server (another test file's `CREATE DATABASE`, say) holds them
 * back until it ends.
 */
export async function untilCommitSafe(db: Pool = getPool()): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const result = await db.query<{ ready: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM events
                           WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS ready`,
    );
    if (result.rows[0]?.ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    'committed events stayed unsealable: a transaction on the server holds them back',
  );
}

/** Seals every committed event, in checkpoints of at most `maxEvents`; returns the new ones. */
export async function sealEverything(
  key: SigningKey,
  maxEvents: number,
  db: Pool = getPool(),
): Promise<SignedCheckpoint[]> {
  await untilCommitSafe(db);
  return sealDueCheckpoints(db, key, { maxEvents, intervalMs: 0 });
}
