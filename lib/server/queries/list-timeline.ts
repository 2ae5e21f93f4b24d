// One page of an account's timeline, newest first, with the balance after each event. Paged by
// version (keyset), so the cost of a page does not grow with the length of the history.

import { accountStreamId } from '../../ledger/events';
import { getPool, type Queryable } from '../db/pool';
import {
  EVENT_COLUMNS,
  toRecordedEvent,
  type EventRow,
  type RecordedEvent,
} from '../event-store/types';

export const TIMELINE_PAGE_SIZE_MAX = 200;

export interface TimelineEntry {
  readonly event: RecordedEvent;
  readonly amountDeltaMinor: bigint;
  readonly balanceAfterMinor: bigint;
  readonly frozenAfter: boolean;
  /** For withdrawals: how much has been reversed so far. */
  readonly reversedMinor: bigint | null;
}

export interface TimelinePage {
  readonly entries: TimelineEntry[];
  /** Pass as `beforeVersion` for the next (older) page; null at the start of the history. */
  readonly nextBeforeVersion: number | null;
}

export async function listTimeline(options: {
  accountId: string;
  beforeVersion?: number;
  limit?: number;
  db?: Queryable;
}): Promise<TimelinePage> {
  const db = options.db ?? getPool();
  const limit = Math.max(1, Math.min(options.limit ?? 50, TIMELINE_PAGE_SIZE_MAX));
  const result = await db.query<
    EventRow & {
      amount_delta_minor: string;
      balance_after_minor: string;
      frozen_after: boolean;
      reversed_minor: string | null;
    }
  >(
    `SELECT ${EVENT_COLUMNS}, h.amount_delta_minor::text AS amount_delta_minor,
            h.balance_after_minor::text AS balance_after_minor, h.frozen_after,
            c.reversed_minor::text AS reversed_minor
       FROM events
       JOIN balance_history h ON h.account_id = $1 AND h.version = events.stream_version
       LEFT JOIN charges c ON c.event_id = events.event_id
      WHERE events.stream_id = $2 AND ($3::int IS NULL OR events.stream_version < $3)
      ORDER BY events.stream_version DESC
      LIMIT $4`,
    [options.accountId, accountStreamId(options.accountId), options.beforeVersion ?? null, limit],
  );
  const entries = result.rows.map((row) => ({
    event: toRecordedEvent(row),
    amountDeltaMinor: BigInt(row.amount_delta_minor),
    balanceAfterMinor: BigInt(row.balance_after_minor),
    frozenAfter: row.frozen_after,
    reversedMinor: row.reversed_minor === null ? null : BigInt(row.reversed_minor),
  }));
  const last = entries[entries.length - 1];
  return {
    entries,
    nextBeforeVersion:
      last && last.event.streamVersion > 1 && entries.length === limit
        ? last.event.streamVersion
        : null,
  };
}
