// Pruning of tables that would otherwise grow for ever: idempotency keys past their retention,
// revoked sessions whose tokens have expired anyway, sign-in throttle buckets untouched for a day
// (the throttle forgets them then anyway), and the record of sign-in attempts past its retention. Runs in the background of every app
// instance (background-jobs.ts), but once per interval across all of them: the run holds an
// advisory lock and records when it last ran in maintenance_runs.
//
// The event log and the audit trails are never pruned.

import { FORGET_BUCKET_AFTER_MS } from '../auth/sign-in-throttle';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/advisory-lock';
import type { Pool } from '../db/pool';

const JOB = 'prune_expired_rows';
/** Rows deleted per statement, so that no single delete holds locks or bloats WAL for long. */
const DELETE_BATCH_SIZE = 5_000;

export const DEFAULT_IDEMPOTENCY_RETENTION_HOURS = 7 * 24;
export const DEFAULT_SIGN_IN_ATTEMPT_RETENTION_DAYS = 90;
export const DEFAULT_MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

export interface PruneSettings {
  /** How long an idempotency key (and the answer stored with it) is kept. */
  readonly idempotencyRetentionHours: number;
  /** How long the record of each checked sign-in attempt is kept. */
  readonly signInAttemptRetentionDays: number;
  /** At most one run across instances per this interval. */
  readonly intervalMs: number;
}

export type PruneOutcome =
  | { readonly ran: false; readonly reason: 'locked' | 'not_due' }
  | { readonly ran: true; readonly deleted: Record<string, number> };

/** What is pruned, and when a row has expired. Each statement deletes one bounded batch. */
function prunings(
  settings: PruneSettings,
): Array<{ table: string; sql: string; values: unknown[] }> {
  return [
    {
      table: 'idempotency_keys',
      sql: `DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
              SELECT ctid FROM idempotency_keys
               WHERE created_at < now() - make_interval(hours => $1) LIMIT $2))`,
      values: [settings.idempotencyRetentionHours, DELETE_BATCH_SIZE],
    },
    {
      table: 'revoked_sessions',
      sql: `DELETE FROM revoked_sessions WHERE ctid = ANY (ARRAY(
              SELECT ctid FROM revoked_sessions WHERE expires_at < now() LIMIT $1))`,
      values: [DELETE_BATCH_SIZE],
    },
    {
      table: 'login_throttle',
      sql: `DELETE FROM login_throttle WHERE ctid = ANY (ARRAY(
              SELECT ctid FROM login_throttle
               WHERE last_attempt_at < now() - make_interval(hours => $1) LIMIT $2))`,
      values: [FORGET_BUCKET_AFTER_MS / 3_600_000, DELETE_BATCH_SIZE],
    },
    {
      table: 'login_attempts',
      sql: `DELETE FROM login_attempts WHERE ctid = ANY (ARRAY(
              SELECT ctid FROM login_attempts
               WHERE attempted_at < now() - make_interval(days => $1) LIMIT $2))`,
      values: [settings.signInAttemptRetentionDays, DELETE_BATCH_SIZE],
    },
  ];
}

export async function pruneExpiredRows(db: Pool, settings: PruneSettings): Promise<PruneOutcome> {
  const outcome = await withAdvisoryLock(
    db,
    ADVISORY_LOCKS.maintenance,
    async (client): Promise<PruneOutcome> => {
      const due = await client.query(
        `SELECT 1 FROM maintenance_runs
          WHERE job = $1 AND last_run_at > now() - make_interval(secs => $2::double precision / 1000)`,
        [JOB, settings.intervalMs],
      );
      if (due.rowCount) return { ran: false, reason: 'not_due' };
      const deleted: Record<string, number> = {};
      for (const { table, sql, values } of prunings(settings)) {
        deleted[table] = 0;
        for (;;) {
          const result = await client.query(sql, values);
          deleted[table] += result.rowCount ?? 0;
          if ((result.rowCount ?? 0) < DELETE_BATCH_SIZE) break;
        }
      }
      await client.query(
        `INSERT INTO maintenance_runs (job, last_run_at, last_result) VALUES ($1, now(), $2)
         ON CONFLICT (job) DO UPDATE SET last_run_at = now(), last_result = excluded.last_result`,
        [JOB, JSON.stringify(deleted)],
      );
      return { ran: true, deleted };
    },
  );
  return outcome.locked ? outcome.value : { ran: false, reason: 'locked' };
}

/** The retention and interval from the environment, with their defaults. */
export function pruneSettingsFromEnvironment(): PruneSettings {
  const hours = Number.parseInt(process.env.CHRONICLE_IDEMPOTENCY_RETENTION_HOURS ?? '', 10);
  const days = Number.parseInt(process.env.CHRONICLE_SIGN_IN_ATTEMPT_RETENTION_DAYS ?? '', 10);
  const interval = Number.parseInt(process.env.CHRONICLE_MAINTENANCE_INTERVAL_MS ?? '', 10);
  return {
    idempotencyRetentionHours:
      Number.isSafeInteger(hours) && hours > 0 ? hours : DEFAULT_IDEMPOTENCY_RETENTION_HOURS,
    signInAttemptRetentionDays:
      Number.isSafeInteger(days) && days > 0 ? days : DEFAULT_SIGN_IN_ATTEMPT_RETENTION_DAYS,
    intervalMs:
      Number.isSafeInteger(interval) && interval > 0 ? interval : DEFAULT_MAINTENANCE_INTERVAL_MS,
  };
}
