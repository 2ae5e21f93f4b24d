import { getPool, type Queryable } from '../db/pool';
import { findEventById } from '../event-store/read-stream';
import {
  EVENT_COLUMNS,
  toRecordedEvent,
  type EventRow,
  type RecordedEvent,
} from '../event-store/types';

export interface EventDetails {
  readonly event: RecordedEvent;
  /** The event this one was caused by (the charge a reversal reverses). */
  readonly cause: RecordedEvent | null;
  /** Events caused by this one (the reversals of a charge). */
  readonly consequences: RecordedEvent[];
  /** Other events of the same request: the other leg of a transfer, an opening deposit. */
  readonly correlated: RecordedEvent[];
  /** For a withdrawal: how much of it has been reversed. */
  readonly charge: { readonly amountMinor: bigint; readonly reversedMinor: bigint } | null;
}

const RELATED_LIMIT = 50;

export async function getEventDetails(options: {
  eventId: string;
  db?: Queryable;
}): Promise<EventDetails | null> {
  const db = options.db ?? getPool();
  const event = await findEventById(db, options.eventId);
  if (!event) return null;
  const [cause, consequences, correlated, charge] = await Promise.all([
    event.metadata.causationId
      ? findEventById(db, event.metadata.causationId)
      : Promise.resolve(null),
    db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE metadata->>'causationId' = $1 AND metadata ? 'causationId' ORDER BY events.global_position LIMIT $2`,
      [event.eventId, RELATED_LIMIT],
    ),
    db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE metadata->>'correlationId' = $1 AND event_id <> $2::uuid ORDER BY events.global_position LIMIT $3`,
      [event.metadata.correlationId, event.eventId, RELATED_LIMIT],
    ),
    db.query<{ amount_minor: string; reversed_minor: string }>(
      'SELECT amount_minor::text AS amount_minor, reversed_minor::text AS reversed_minor FROM charges WHERE event_id = $1::uuid',
      [event.eventId],
    ),
  ]);
  const chargeRow = charge.rows[0];
  return {
    event,
    cause,
    consequences: consequences.rows.map(toRecordedEvent),
    correlated: correlated.rows.map(toRecordedEvent),
    charge: chargeRow
      ? {
          amountMinor: BigInt(chargeRow.amount_minor),
          reversedMinor: BigInt(chargeRow.reversed_minor),
        }
      : null,
  };
}
