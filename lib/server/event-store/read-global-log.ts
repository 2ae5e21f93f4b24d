// Reading the global log in an order that never skips an event.
//
// global_position comes from an identity sequence, and sequences are handed out when rows are
// inserted, not when their transactions commit. A reader that remembered "I have seen up to
// position 100" could miss position 99 if 99's transaction committed after 100's. So the log is
// read in (transaction_id, global_position) order, and only rows whose transaction is older than
// every transaction still in progress (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`)
// are returned. Any transaction that has not committed yet has an id at or above that horizon, so
// everything it writes sorts after what a reader has already seen. The checkpoint is the pair.

import type { Queryable } from '../db/pool';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './types';
import { MAX_READ_LIMIT } from './read-stream';

export interface GlobalCheckpoint {
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
}

export const START_OF_LOG: GlobalCheckpoint = Object.freeze({
  transactionId: 0n,
  globalPosition: 0n,
});

export function checkpointOf(
  event: Pick<RecordedEvent, 'transactionId' | 'globalPosition'>,
): GlobalCheckpoint {
  return { transactionId: event.transactionId, globalPosition: event.globalPosition };
}

export interface GlobalLogFilter {
  readonly streamId?: string;
  readonly types?: readonly string[];
}

/** Reads up to `limit` committed events after `after`, in commit-safe order. */
export async function readGlobalLog(
  db: Queryable,
  options: { after?: GlobalCheckpoint; limit?: number; filter?: GlobalLogFilter } = {},
): Promise<{ events: RecordedEvent[]; checkpoint: GlobalCheckpoint }> {
  const after = options.after ?? START_OF_LOG;
  const limit = Math.max(1, Math.min(options.limit ?? 1000, MAX_READ_LIMIT));
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        AND ($4::text IS NULL OR stream_id = $4)
        AND ($5::text[] IS NULL OR type = ANY($5))
      ORDER BY events.transaction_id, events.global_position
      LIMIT $3`,
    [
      after.transactionId.toString(),
      after.globalPosition.toString(),
      limit,
      options.filter?.streamId ?? null,
      options.filter?.types?.length ? options.filter.types : null,
    ],
  );
  const events = result.rows.map(toRecordedEvent);
  const last = events[events.length - 1];
  return { events, checkpoint: last ? checkpointOf(last) : after };
}

/**
 * The checkpoint just after the event at `globalPosition`, so that external consumers can hold a
 * plain position. Null when no such event exists.
 */
export async function checkpointAtPosition(
  db: Queryable,
  globalPosition: bigint,
): Promise<GlobalCheckpoint | null> {
  if (globalPosition === 0n) return START_OF_LOG;
  const result = await db.query<{ transaction_id: string }>(
    'SELECT transaction_id::text AS transaction_id FROM events WHERE global_position = $1',
    [globalPosition.toString()],
  );
  const row = result.rows[0];
  return row ? { transactionId: BigInt(row.transaction_id), globalPosition } : null;
}

/** The checkpoint of the newest event a reader could see right now: "start from here" for live views. */
export async function currentCheckpoint(db: Queryable): Promise<GlobalCheckpoint> {
  const result = await db.query<{ transaction_id_text: string; global_position_text: string }>(
    `SELECT transaction_id::text AS transaction_id_text, global_position::text AS global_position_text FROM events
      WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
  );
  const row = result.rows[0];
  return row
    ? {
        transactionId: BigInt(row.transaction_id_text),
        globalPosition: BigInt(row.global_position_text),
      }
    : START_OF_LOG;
}

/**
 * The highest global position handed out so far. Positions are taken at insert time, so this is
 * an upper bound on how far a reader can be behind, never an exact count.
 */
export async function headPosition(db: Queryable): Promise<bigint> {
  const result = await db.query<{ head: string }>(
    'SELECT coalesce(max(global_position), 0)::text AS head FROM events',
  );
  return BigInt(result.rows[0]?.head ?? '0');
}
