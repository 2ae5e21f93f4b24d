// The event store's own vocabulary: what goes in, what comes out. It knows nothing about
// accounts; it stores typed JSON facts in streams.

export type JsonObject = { [key: string]: unknown };

export interface EventMetadata {
  /** Who caused the event: `user:<id>`, `api_key:<id>`, or `system:<job>`. */
  readonly actor: string;
  /** Shared by every event written for one request (both legs of a transfer, say). */
  readonly correlationId: string;
  /** The event that caused this one, if any. */
  readonly causationId?: string;
  /**
   * On the events of a command run on approval: the checker who approved it (`actor` is then
   * the maker who asked for it) and the approval request.
   */
  readonly approvedBy?: string;
  readonly approvalId?: string;
  readonly idempotencyKey?: string;
  readonly requestId?: string;
}

/** An event to append. The store assigns position, hashes and recorded time. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
}

export interface StreamAppend {
  readonly streamId: string;
  /** The version the stream must be at before these events: 0 for a stream that must not exist. */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
  /**
   * The stream's last event as the caller already knows it (a projection row it holds locked),
   * which saves reading it again. The insert still checks it against the stored event.
   */
  readonly knownHead?: StreamHead;
}

/** The last event of a stream: what the next event chains onto. */
export interface StreamHead {
  readonly version: number;
  readonly hash: string;
  readonly occurredAt: Date | null;
}

export interface RecordedEvent {
  readonly globalPosition: bigint;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  /** When the fact took effect (business time). */
  readonly occurredAt: Date;
  /** When the database stored it (its transaction's start, from the database clock). */
  readonly recordedAt: Date;
  readonly transactionId: bigint;
  readonly prevHash: string;
  readonly hash: string;
}

/** The columns every read selects, in the shape `toRecordedEvent` expects. */
// The bigint and xid8 columns are read as text (JavaScript numbers cannot hold them) under aliases
// of their own: an alias named like its column would make ORDER BY sort the text, not the number.
export const EVENT_COLUMNS = `events.global_position::text AS global_position_text, events.event_id::text AS event_id,
  events.stream_id, events.stream_version, events.type, events.schema_version, events.data, events.metadata,
  events.occurred_at, events.recorded_at, events.transaction_id::text AS transaction_id_text, events.prev_hash, events.hash`;

export interface EventRow {
  global_position_text: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: JsonObject;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
  transaction_id_text: string;
  prev_hash: string;
  hash: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    globalPosition: BigInt(row.global_position_text),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    transactionId: BigInt(row.transaction_id_text),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
