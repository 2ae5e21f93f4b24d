// An account's balance history for the time-travel slider to keep in the browser
// (docs/decisions/015-instant-slider.md): the directory of windows of WINDOW_SIZE versions with
// every backdated correction ("the head"), and one window's balance_history rows with what holds
// reserved through it, in the compact format of lib/time-travel/balance-history-format.ts.
// Reading a window is one index range scan plus the account's holds that reserved funds then.

import {
  BALANCE_HISTORY_FORMAT,
  encodeBigInts,
  encodeNumbers,
  encodeWindow,
  type BalanceHistoryHeadWire,
  type BalanceHistoryWindowWire,
} from '../../time-travel/balance-history-format';
import { heldSeries, type HoldWithHistory } from '../../time-travel/held-series';
import { getPool, withSnapshot, type Queryable } from '../db/pool';
import type { SnapshotReader } from '../db/read-pool';

const onPrimary: SnapshotReader = (work) => withSnapshot(getPool(), work);

/** Versions per window: about 40 KB of JSON for a window of ordinary events. */
export const BALANCE_HISTORY_WINDOW_SIZE = 2_000;

/**
 * An instant as whole milliseconds, rounded up: for a millisecond instant t, `x <= t` exactly
 * when ceil(x) <= t, and `x > t` exactly when ceil(x) > t, so the browser's comparisons agree
 * with PostgreSQL's on the microsecond originals. (Events are recorded in whole milliseconds;
 * this keeps the answer exact even if one is not.)
 */
const ms = (column: string) =>
  `(((extract(epoch FROM ${column}) * 1000000)::bigint + 999) / 1000)::text`;

async function headVersionOf(db: Queryable, accountId: string): Promise<number | null> {
  const result = await db.query<{ version: number }>('SELECT version FROM accounts WHERE id = $1', [
    accountId,
  ]);
  return result.rows[0]?.version ?? null;
}

async function readWindow(
  db: Queryable,
  accountId: string,
  index: number,
  headVersion: number,
  size: number,
): Promise<BalanceHistoryWindowWire> {
  const rows = await db.query<{
    version: number;
    occurred_ms: string;
    base_minor: string;
    owed_minor: string;
    frozen_after: boolean;
    event_type: string;
  }>(
    `SELECT version, ${ms('occurred_at')} AS occurred_ms,
            (balance_after_minor - corrections_after_minor)::text AS base_minor,
            owed_after_minor::text AS owed_minor, frozen_after, event_type
       FROM balance_history
      WHERE account_id = $1 AND version > $2 AND version <= $3
      ORDER BY version`,
    [accountId, index * size, (index + 1) * size],
  );
  const next = await db.query<{ occurred_ms: string }>(
    `SELECT ${ms('occurred_at')} AS occurred_ms FROM balance_history
      WHERE account_id = $1 AND version > $2 ORDER BY version LIMIT 1`,
    [accountId, (index + 1) * size],
  );
  const first = rows.rows[0];
  const startMs = first ? Number(first.occurred_ms) : 0;
  const endMs = next.rows[0] ? Number(next.rows[0].occurred_ms) : null;
  const held = first
    ? heldSeries(await holdsDuring(db, accountId, startMs, endMs), startMs, endMs)
    : null;
  return encodeWindow({
    index,
    windowSize: size,
    headVersion,
    rows: rows.rows.map((row) => ({
      version: row.version,
      occurredMs: Number(row.occurred_ms),
      baseMinor: BigInt(row.base_minor),
      owedMinor: BigInt(row.owed_minor),
      frozen: row.frozen_after,
      eventType: row.event_type,
    })),
    endMs,
    heldStartMinor: held?.startMinor ?? 0n,
    heldPoints: held?.points ?? [],
  });
}

/**
 * The account's holds that may reserve funds at some instant in [startMs, endMs), with their
 * history up to endMs. The filters only leave out holds that reserve nothing then: placed at or
 * after the end, expired before the start, or ended (captured, released, expired) before it.
 */
async function holdsDuring(
  db: Queryable,
  accountId: string,
  startMs: number,
  endMs: number | null,
): Promise<HoldWithHistory[]> {
  const result = await db.query<{
    amount_minor: string;
    placed_ms: string;
    expires_ms: string | null;
    history: Array<[string, string, boolean]>;
  }>(
    `SELECT o.amount_minor::text AS amount_minor, ${ms('o.placed_at')} AS placed_ms,
            ${ms('o.expires_at')} AS expires_ms,
            (SELECT coalesce(json_agg(json_build_array(${ms('hh.occurred_at')},
                      hh.captured_after_minor::text, hh.status_after = 'active')
                      ORDER BY hh.occurred_at, hh.version), '[]')
               FROM hold_history hh
              WHERE hh.hold_id = o.hold_id AND ($3::timestamptz IS NULL OR hh.occurred_at < $3)) AS history
       FROM holds o
      WHERE o.account_id = $1
        AND ($3::timestamptz IS NULL OR o.placed_at < $3)
        AND (o.expires_at IS NULL OR o.expires_at > $2::timestamptz - interval '1 millisecond')
        AND NOT EXISTS (SELECT 1 FROM hold_history x
                         WHERE x.hold_id = o.hold_id AND x.status_after <> 'active'
                           AND x.occurred_at < $2::timestamptz - interval '1 millisecond')`,
    [
      accountId,
      new Date(startMs).toISOString(),
      endMs === null ? null : new Date(endMs).toISOString(),
    ],
  );
  return result.rows.map((row) => ({
    amountMinor: BigInt(row.amount_minor),
    placedMs: Number(row.placed_ms),
    expiresMs: row.expires_ms === null ? null : Number(row.expires_ms),
    history: row.history.map(([occurredMs, capturedAfterMinor, isActiveAfter]) => ({
      occurredMs: Number(occurredMs),
      capturedAfterMinor: BigInt(capturedAfterMinor),
      isActiveAfter,
    })),
  }));
}

/** One window; null when the account does not exist or has no such window. */
export async function getBalanceHistoryWindow(options: {
  accountId: string;
  index: number;
  /** Tests use small windows. */
  windowSize?: number;
  /** Where the read runs (a replica for a signed-in user); the primary by default. */
  inSnapshot?: SnapshotReader;
}): Promise<BalanceHistoryWindowWire | null> {
  const size = options.windowSize ?? BALANCE_HISTORY_WINDOW_SIZE;
  return (options.inSnapshot ?? onPrimary)(async (tx) => {
    const headVersion = await headVersionOf(tx, options.accountId);
    if (headVersion === null || options.index * size >= headVersion) return null;
    return readWindow(tx, options.accountId, options.index, headVersion, size);
  });
}

/**
 * The directory, the corrections and the window holding the last event at or before `at` (the
 * first window before the first event; the last window without `at`), read in one snapshot.
 * Null when the account does not exist.
 */
export async function getBalanceHistoryHead(options: {
  accountId: string;
  at?: Date | undefined;
  /** Tests use small windows. */
  windowSize?: number;
  /** Where the read runs (a replica for a signed-in user); the primary by default. */
  inSnapshot?: SnapshotReader;
}): Promise<BalanceHistoryHeadWire | null> {
  const size = options.windowSize ?? BALANCE_HISTORY_WINDOW_SIZE;
  return (options.inSnapshot ?? onPrimary)(async (tx) => {
    const headVersion = await headVersionOf(tx, options.accountId);
    if (headVersion === null) return null;
    // One index lookup per window: the first row of each run of `size` versions.
    const starts = await tx.query<{ start_ms: string }>(
      `SELECT ${ms('b.occurred_at')} AS start_ms
         FROM generate_series(0, ($2::integer - 1) / $3::integer) AS k
         JOIN LATERAL (SELECT occurred_at FROM balance_history
                        WHERE account_id = $1 AND version > k * $3::integer
                        ORDER BY version LIMIT 1) b ON true
        ORDER BY k`,
      [options.accountId, headVersion, size],
    );
    const corrections = await tx.query<{
      effective_ms: string;
      recorded_ms: string;
      delta_minor: string;
    }>(
      `SELECT ${ms('effective_at')} AS effective_ms, ${ms('recorded_at')} AS recorded_ms,
              delta_minor::text AS delta_minor
         FROM balance_corrections WHERE account_id = $1 ORDER BY version`,
      [options.accountId],
    );
    const startsMs = starts.rows.map((row) => Number(row.start_ms));
    let index = startsMs.length - 1;
    if (options.at) {
      const atMs = options.at.getTime();
      index = Math.max(
        0,
        startsMs.findLastIndex((start) => start <= atMs),
      );
    }
    return {
      format: BALANCE_HISTORY_FORMAT,
      accountId: options.accountId,
      windowSize: size,
      headVersion,
      windowStartsMs: encodeNumbers(startsMs),
      corrections: {
        effectiveMs: encodeNumbers(corrections.rows.map((row) => Number(row.effective_ms))),
        recordedMs: encodeNumbers(corrections.rows.map((row) => Number(row.recorded_ms))),
        deltaMinor: encodeBigInts(corrections.rows.map((row) => BigInt(row.delta_minor))),
      },
      window: await readWindow(tx, options.accountId, Math.max(0, index), headVersion, size),
    };
  });
}
