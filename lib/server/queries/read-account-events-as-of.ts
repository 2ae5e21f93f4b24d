// An account's events on both time axes: those in effect by `at` (a correction by its effective
// instant, every other event by when it occurred) and entered in the ledger by `knownAt` (every
// event's occurredAt), oldest first (in the stream's order), paged by version.

import { accountStreamId } from '../../ledger/events';
import type { Queryable } from '../db/pool';
import {
  EVENT_COLUMNS,
  toRecordedEvent,
  type EventRow,
  type RecordedEvent,
} from '../event-store/types';

export async function readAccountEventsAsOf(
  db: Queryable,
  options: {
    accountId: string;
    afterVersion: number;
    limit: number;
    at?: Date | undefined;
    knownAt?: Date | undefined;
  },
): Promise<RecordedEvent[]> {
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS}
       FROM events
      WHERE events.stream_id = $2 AND events.stream_version > $3 AND $1::text IS NOT NULL
        AND ($5::timestamptz IS NULL OR events.occurred_at <= $5)
        AND ($4::timestamptz IS NULL OR CASE WHEN events.type = 'balance_corrected'
                                             THEN (events.data->>'effectiveAt')::timestamptz <= $4
                                             ELSE events.occurred_at <= $4 END)
      ORDER BY events.stream_version LIMIT $6`,
    [
      options.accountId,
      accountStreamId(options.accountId),
      options.afterVersion,
      options.at?.toISOString() ?? null,
      options.knownAt?.toISOString() ?? null,
      options.limit,
    ],
  );
  return result.rows.map(toRecordedEvent);
}
