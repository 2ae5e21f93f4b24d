// The global event log for auditors, newest first, filtered; and the same filters oldest first in
// bounded pages for the CSV export.

import { accountStreamId } from '../../ledger/events';
import type { AuditFilters } from '../../schemas/audit-filters';
import { getPool, type Queryable } from '../db/pool';
import {
  EVENT_COLUMNS,
  toRecordedEvent,
  type EventRow,
  type RecordedEvent,
} from '../event-store/types';

export const AUDIT_PAGE_SIZE = 50;

function filterParameters(filters: AuditFilters): unknown[] {
  return [
    filters.account ? accountStreamId(filters.account) : null,
    filters.type ?? null,
    filters.actor ?? null,
    filters.from?.toISOString() ?? null,
    filters.to?.toISOString() ?? null,
    filters.knownAt?.toISOString() ?? null,
    filters.at?.toISOString() ?? null,
  ];
}

const FILTER_SQL = `($1::text IS NULL OR stream_id = $1)
  AND ($2::text IS NULL OR type = $2)
  AND ($3::text IS NULL OR metadata->>'actor' = $3 OR metadata->>'approvedBy' = $3)
  AND ($4::timestamptz IS NULL OR occurred_at >= $4)
  AND ($5::timestamptz IS NULL OR occurred_at <= $5)
  AND ($6::timestamptz IS NULL OR occurred_at <= $6)
  AND ($7::timestamptz IS NULL OR CASE WHEN type = 'balance_corrected'
                                       THEN (data->>'effectiveAt')::timestamptz <= $7
                                       ELSE occurred_at <= $7 END)`;

/** A page of the log, newest first; pass the last position as `beforePosition` for older ones. */
export async function listAuditEvents(options: {
  filters: AuditFilters;
  beforePosition?: bigint | undefined;
  limit?: number;
  db?: Queryable;
}): Promise<{ events: RecordedEvent[]; nextBeforePosition: bigint | null }> {
  const db = options.db ?? getPool();
  const limit = Math.max(1, Math.min(options.limit ?? AUDIT_PAGE_SIZE, 500));
  const result = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE ${FILTER_SQL} AND ($8::bigint IS NULL OR global_position < $8)
      ORDER BY events.global_position DESC LIMIT $9`,
    [...filterParameters(options.filters), options.beforePosition?.toString() ?? null, limit + 1],
  );
  const events = result.rows.slice(0, limit).map(toRecordedEvent);
  return {
    events,
    nextBeforePosition:
      result.rows.length > limit ? (events[events.length - 1]?.globalPosition ?? null) : null,
  };
}

/** Every matching event, oldest first, in pages of `pageSize`: for streaming exports. */
export async function* iterateAuditEvents(options: {
  filters: AuditFilters;
  pageSize?: number;
  db?: Queryable;
}): AsyncGenerator<RecordedEvent[]> {
  const db = options.db ?? getPool();
  const pageSize = options.pageSize ?? 1_000;
  let after = 0n;
  for (;;) {
    const result = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE ${FILTER_SQL} AND global_position > $8
        ORDER BY events.global_position ASC LIMIT $9`,
      [...filterParameters(options.filters), after.toString(), pageSize],
    );
    if (result.rows.length === 0) return;
    const events = result.rows.map(toRecordedEvent);
    yield events;
    after = events[events.length - 1]?.globalPosition ?? after;
    if (result.rows.length < pageSize) return;
  }
}
