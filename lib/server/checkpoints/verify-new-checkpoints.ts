// The background verifier's share of the checkpoint check: each signed checkpoint that reached
// the sink since its last pass is checked against the database once (a full re-verification
// checks them all again), and what it finds joins the standing integrity problems.

import type { KeyObject } from 'node:crypto';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/advisory-lock';
import type { Pool } from '../db/pool';
import { mergeProblems, type IntegrityProblem } from '../integrity/integrity-problem';
import type { CheckpointSink } from './checkpoint-sinks';
import {
  verifyAgainstCheckpoints,
  type CheckpointVerification,
} from './verify-against-checkpoints';

export async function verifyNewCheckpoints(
  db: Pool,
  options: { sink: CheckpointSink; publicKey: KeyObject },
): Promise<CheckpointVerification | null> {
  const outcome = await withAdvisoryLock(db, ADVISORY_LOCKS.verifyNewEvents, async (client) => {
    const state = await client.query<{ through: string }>(
      'SELECT checkpoints_verified_through::text AS through FROM integrity_state WHERE id',
    );
    const through = Number(state.rows[0]?.through ?? 0);
    const signed = await options.sink.readAll();
    if ((signed[signed.length - 1]?.checkpoint.number ?? 0) <= through) return null;
    const report = await verifyAgainstCheckpoints(client, {
      signed,
      publicKey: options.publicKey,
      rangesCheckedThrough: through,
    });
    await recordCheckpointFindings(
      client,
      report.problems,
      report.sealedThrough?.number ?? through,
    );
    return report;
  });
  return outcome.locked ? outcome.value : null;
}

/** Adds findings to the standing problems and moves the checkpoint mark on. */
export async function recordCheckpointFindings(
  db: { query: Pool['query'] },
  found: readonly IntegrityProblem[],
  checkedThrough: number,
): Promise<void> {
  const state = await db.query<{ problems: IntegrityProblem[] }>(
    'SELECT problems FROM integrity_state WHERE id FOR UPDATE',
  );
  await db.query(
    'UPDATE integrity_state SET problems = $1, checkpoints_verified_through = greatest(checkpoints_verified_through, $2) WHERE id',
    [JSON.stringify(mergeProblems(state.rows[0]?.problems ?? [], found)), checkedThrough],
  );
}
