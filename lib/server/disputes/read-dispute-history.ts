// A case's story for the back office's case page: the case's own stream (`dispute-<id>`) and the
// account's side of each of its steps (every account event naming the case), in the order they
// took effect (an imported history commits each stream's events together).

import { refOf, streamIdOf } from '../../ledger/aggregate';
import { UUID_PATTERN } from '../../ledger/limits';
import { getPool, type Queryable } from '../db/pool';
import {
  EVENT_COLUMNS,
  toRecordedEvent,
  type EventRow,
  type RecordedEvent,
} from '../event-store/types';

/** A case has at most 100 notes and files plus a handful of steps; this bounds the read anyway. */
export const DISPUTE_HISTORY_LIMIT = 500;

export async function readDisputeHistory(options: {
  disputeId: string;
  chargeEventId: string;
  db?: Queryable;
}): Promise<RecordedEvent[]> {
  const { disputeId, chargeEventId } = options;
  if (!UUID_PATTERN.test(disputeId)) return [];
  const db = options.db ?? getPool();
  // Every account event of a case is caused by the disputed charge (the decider records it so),
  // which the causation index finds without reading the rest of a long account stream.
  const found = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE events.stream_id = $1
         OR (events.metadata ? 'causationId' AND events.metadata->>'causationId' = $2
             AND events.data->>'disputeId' = $3)
      ORDER BY events.occurred_at, events.global_position
      LIMIT $4`,
    [streamIdOf(refOf('dispute', disputeId)), chargeEventId, disputeId, DISPUTE_HISTORY_LIMIT],
  );
  return found.rows.map(toRecordedEvent);
}
