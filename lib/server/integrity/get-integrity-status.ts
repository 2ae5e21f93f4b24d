import { getCheckpointStatus, type CheckpointStatus } from '../checkpoints/get-checkpoint-status';
import type { Queryable } from '../db/pool';
import type { IntegrityProblem } from './integrity-problem';
import {
  VERIFICATION_RUN_COLUMNS,
  toVerificationRun,
  type VerificationRun,
} from './verification-run';

/** Pending events are counted up to this many; beyond, the answer says "at least". */
export const MAX_COUNTED_PENDING_EVENTS = 100_000;

/**
 * A verifier that has not finished a pass for this long is not keeping up (stopped, or starved by
 * a long full re-verification on a one-instance deployment): its answer is not current.
 */
export const INTEGRITY_STALE_AFTER_SECONDS = 300;

/** What the background verifier has established so far: the answer to every integrity question. */
export interface IntegrityStatus {
  /** No problem has been found in what was verified, and the answer is current (not stale). */
  readonly ok: boolean;
  /**
   * The verifier has not finished a pass in INTEGRITY_STALE_AFTER_SECONDS, or never has: the
   * answer may be out of date, so it is not ok even without problems.
   */
  readonly stale: boolean;
  /** Events verified since the verifier started (each one once). */
  readonly verifiedEvents: number;
  /** The global position verified through, in commit-safe order. */
  readonly verifiedThroughPosition: bigint;
  /** When the verifier last finished a pass; null before its first. */
  readonly checkedAt: Date | null;
  /** Events committed but not yet verified (capped at MAX_COUNTED_PENDING_EVENTS). */
  readonly pendingEvents: number;
  readonly problems: readonly IntegrityProblem[];
  /** The latest full re-verification, if one was ever asked for. */
  readonly lastFullVerification: VerificationRun | null;
  /** Sealing, and how far the database was checked against the signed checkpoints. */
  readonly checkpoints: CheckpointStatus & { readonly verifiedThrough: number };
}

/** Reads the verifier's standing result: a few index lookups, never a hash. */
export async function getIntegrityStatus(options: { db: Queryable }): Promise<IntegrityStatus> {
  const result = await options.db.query<{
    verified_events: string;
    position: string;
    checked_at: Date | null;
    problems: IntegrityProblem[];
    pending: number;
    stale: boolean;
    checkpoints_verified_through: string;
  }>(
    `SELECT s.verified_events::text AS verified_events, s.verified_through_position::text AS position,
            s.checkpoints_verified_through::text AS checkpoints_verified_through,
            s.checked_at, s.problems,
            (s.checked_at IS NULL OR s.checked_at < now() - make_interval(secs => $2)) AS stale,
            (SELECT count(*)::int FROM (
               SELECT 1 FROM events
                WHERE (transaction_id, global_position) > (s.verified_through_transaction, s.verified_through_position)
                LIMIT $1) pending) AS pending
       FROM integrity_state s WHERE s.id`,
    [MAX_COUNTED_PENDING_EVENTS, INTEGRITY_STALE_AFTER_SECONDS],
  );
  const state = result.rows[0];
  if (!state) throw new Error('integrity_state has no row: the migrations were not applied');
  const run = await options.db.query(
    `SELECT ${VERIFICATION_RUN_COLUMNS} FROM integrity_runs ORDER BY id DESC LIMIT 1`,
  );
  return {
    ok: state.problems.length === 0 && !state.stale,
    stale: state.stale,
    verifiedEvents: Number(state.verified_events),
    verifiedThroughPosition: BigInt(state.position),
    checkedAt: state.checked_at,
    pendingEvents: state.pending,
    problems: state.problems,
    lastFullVerification: run.rows[0] ? toVerificationRun(run.rows[0]) : null,
    checkpoints: {
      ...(await getCheckpointStatus({ db: options.db })),
      verifiedThrough: Number(state.checkpoints_verified_through),
    },
  };
}
