import { UUID_PATTERN } from '../../ledger/limits';
import type { Queryable } from '../db/pool';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './types';

/** Upper bound on one read, so no caller can ask the database for an unbounded result. */
export const MAX_READ_LIMIT = 10_000;

/**
 * Reads a stream's events with versions in (afterVersion, throughVersion], oldest first, at most
 * `limit` of them.
 */
export async function readStream(
  db: Queryable,
  streamId: string,
  options: { afterVersion?: number; throughVersion?: number; limit?: number } = {},
): Promise<RecordedEvent[]> {
  const limit = Math.min(options.limit ?? MAX_READ_LIMIT, MAX_READ_LIMIT);
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE stream_id = $1 AND stream_version > $2 AND ($3::int IS NULL OR stream_version <= $3)
      ORDER BY stream_version LIMIT $4`,
    [streamId, options.afterVersion ?? 0, options.throughVersion ?? null, limit],
  );
  return result.rows.map(toRecordedEvent);
}

/**
 * Reads the whole stream in bounded pages, calling `onPage` for each, oldest first, until the
 * stream ends or `onPage` returns false.
 */
export async function forEachStreamPage(
  db: Queryable,
  streamId: string,
  onPage: (events: RecordedEvent[]) => boolean | void,
  options: { throughVersion?: number; pageSize?: number } = {},
): Promise<void> {
  let afterVersion = 0;
  for (;;) {
    const page = await readStream(db, streamId, {
      afterVersion,
      ...(options.throughVersion === undefined ? {} : { throughVersion: options.throughVersion }),
      limit: options.pageSize ?? MAX_READ_LIMIT,
    });
    if (page.length === 0) return;
    if (onPage(page) === false) return;
    afterVersion = page[page.length - 1]?.streamVersion ?? afterVersion;
  }
}

export async function findEventById(db: Queryable, eventId: string): Promise<RecordedEvent | null> {
  if (!UUID_PATTERN.test(eventId)) return null;
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = $1`,
    [eventId],
  );
  const row = result.rows[0];
  return row ? toRecordedEvent(row) : null;
}
