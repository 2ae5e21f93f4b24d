// The hold sweeper: records `hold_expired` for holds whose expiry has come. A hold stops
// reserving funds exactly at its expiry whether or not this has run (the deciders and every query
// compare the expiry with the clock); this only writes the fact down, once. Several instances may
// sweep at the same time: each expiry is a command with an idempotency key of its own, and the
// decider refuses to expire a hold twice; the sweep also holds an advisory lock, so instances do
// not race each other for the same holds.

import { AppError } from '../../errors';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/advisory-lock';
import { getPool, type Pool } from '../db/pool';
import { executeCommand } from '../pipeline/execute-command';

/** Holds expired per sweep, at most; the next sweep takes the rest. */
const SWEEP_LIMIT = 500;

export type SweepOutcome =
  { readonly ran: false } | { readonly ran: true; readonly expired: number };

export async function expireDueHolds(options: { db?: Pool } = {}): Promise<SweepOutcome> {
  const db = options.db ?? getPool();
  const outcome = await withAdvisoryLock(db, ADVISORY_LOCKS.holdSweep, () => sweep(db));
  return outcome.locked ? { ran: true, expired: outcome.value } : { ran: false };
}

async function sweep(db: Pool): Promise<number> {
  const due = await db.query<{ hold_id: string; account_id: string }>(
    `SELECT hold_id::text AS hold_id, account_id FROM holds
      WHERE status = 'active' AND expires_at <= now()
      ORDER BY expires_at LIMIT $1`,
    [SWEEP_LIMIT],
  );
  let expired = 0;
  for (const hold of due.rows) {
    try {
      const result = await executeCommand({
        command: { type: 'expire_hold', holdId: hold.hold_id, accountId: hold.account_id },
        context: {
          actor: 'system:hold-sweeper',
          idempotencyKey: `expire-hold:${hold.hold_id}`,
          db,
        },
        requestInput: { holdId: hold.hold_id },
      });
      if (!result.replayed) expired += 1;
    } catch (error) {
      // Captured or released meanwhile: nothing left to expire.
      if (!(error instanceof AppError && error.code === 'hold_not_active')) throw error;
    }
  }
  return expired;
}
