import type { Queryable } from '../db/pool';
import { getIntegrityVerifier } from './integrity-verifier';
import {
  toVerificationRun,
  VERIFICATION_RUN_COLUMNS,
  type VerificationRun,
} from './verification-run';

/**
 * Queues a full re-verification of the ledger (an admin action) and wakes this process's verifier.
 * A run already queued or running is returned instead of queueing a second one.
 */
export async function requestFullVerification(options: {
  requestedBy: string;
  db: Queryable;
}): Promise<VerificationRun> {
  const result = await options.db.query(
    `WITH pending AS (
       SELECT ${VERIFICATION_RUN_COLUMNS} FROM integrity_runs WHERE status IN ('queued', 'running')
        ORDER BY id LIMIT 1
     ), queued AS (
       INSERT INTO integrity_runs (requested_by) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM pending)
       RETURNING ${VERIFICATION_RUN_COLUMNS}
     )
     SELECT * FROM pending UNION ALL SELECT * FROM queued`,
    [options.requestedBy],
  );
  getIntegrityVerifier()?.wake();
  return toVerificationRun(result.rows[0]);
}
