// Appends events to one or many streams inside the caller's transaction. Every stream names the
// version it expects to be at; a mismatch (now, or discovered by the unique index when a
// concurrent writer gets there first) is a ConcurrencyError and nothing of the call is written.

import { GENESIS_HASH, canonicalInstant, eventHash } from '../../ledger/hash-chain';
import { namedStatement, sqlState, violatedConstraint, type PoolClient } from '../db/pool';
import { ConcurrencyError, EventStoreInvariantError } from './event-store-errors';
import type { RecordedEvent, StreamAppend, StreamHead } from './types';

const EMPTY_STREAM: StreamHead = { version: 0, hash: GENESIS_HASH, occurredAt: null };

export async function appendToStreams(
  tx: PoolClient,
  appends: readonly StreamAppend[],
): Promise<RecordedEvent[]> {
  const streamIds = appends.map((append) => append.streamId);
  if (new Set(streamIds).size !== streamIds.length) {
    throw new Error('appendToStreams: each stream may appear once per call');
  }
  if (appends.every((append) => append.events.length === 0)) return [];

  const unknown = appends.filter((append) => !append.knownHead).map((append) => append.streamId);
  const heads = unknown.length ? await readStreamHeads(tx, unknown) : new Map<string, StreamHead>();
  const rows: PendingRow[] = [];
  for (const append of appends) {
    const head = append.knownHead ?? heads.get(append.streamId) ?? EMPTY_STREAM;
    if (head.version !== append.expectedVersion) {
      throw new ConcurrencyError(append.streamId, append.expectedVersion, head.version);
    }
    let prevHash = head.hash;
    let previousOccurredAt = head.occurredAt;
    let version = head.version;
    for (const [index, event] of append.events.entries()) {
      // Point-in-time reads find "the last event at or before T" by occurred_at, which is only
      // sound while occurred_at never decreases within a stream.
      if (previousOccurredAt && event.occurredAt.getTime() < previousOccurredAt.getTime()) {
        throw new EventStoreInvariantError(
          `stream ${append.streamId}: occurredAt ${event.occurredAt.toISOString()} is before the previous event's ${previousOccurredAt.toISOString()}`,
        );
      }
      version += 1;
      const hash = eventHash({
        eventId: event.eventId,
        streamId: append.streamId,
        streamVersion: version,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
        occurredAt: event.occurredAt,
        prevHash,
      });
      rows.push({
        streamId: append.streamId,
        version,
        event,
        prevHash,
        hash,
        chainsOntoStoredHead: index === 0,
      });
      prevHash = hash;
      previousOccurredAt = event.occurredAt;
    }
  }
  return insertEvents(tx, rows);
}

const selectStreamHeads = namedStatement<{
  stream_id: string;
  stream_version: number;
  hash: string;
  occurred_at: Date;
}>(
  'select_stream_heads',
  // The last event of each stream, found by a backward scan of the (stream_id, stream_version)
  // unique index: one row per stream however long the stream is.
  `SELECT s.stream_id, e.stream_version, e.hash, e.occurred_at
     FROM unnest($1::text[]) AS s(stream_id)
     JOIN LATERAL (
       SELECT stream_version, hash, occurred_at FROM events
        WHERE events.stream_id = s.stream_id
        ORDER BY stream_version DESC LIMIT 1
     ) e ON true`,
);

/** The last event of each named stream; streams without events are absent from the map. */
export async function readStreamHeads(
  tx: PoolClient,
  streamIds: string[],
): Promise<Map<string, StreamHead>> {
  const result = await selectStreamHeads(tx, [streamIds]);
  return new Map(
    result.rows.map((row) => [
      row.stream_id,
      { version: row.stream_version, hash: row.hash, occurredAt: row.occurred_at },
    ]),
  );
}

interface PendingRow {
  streamId: string;
  version: number;
  event: StreamAppend['events'][number];
  prevHash: string;
  hash: string;
  /** The first new event of its stream: its prev_hash must equal the stored head's hash. */
  chainsOntoStoredHead: boolean;
}

const insertEventRows = namedStatement<{
  global_position: string;
  event_id: string;
  recorded_at: Date;
  transaction_id: string;
}>(
  'insert_events',
  // The insert writes nothing unless every stream's first new event chains onto the hash of the
  // event actually stored at the version before it: a caller's stale or wrong view of a stream
  // can never produce a broken chain.
  `WITH input AS (
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[],
                          $8::timestamptz[], $9::text[], $10::text[], $11::bool[]) WITH ORDINALITY
            AS i(event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash,
                 chains_onto_stored_head, ordinal)
   ), broken_links AS (
     SELECT 1 FROM input i
      WHERE i.chains_onto_stored_head AND i.stream_version > 1
        AND NOT EXISTS (SELECT 1 FROM events e
                         WHERE e.stream_id = i.stream_id AND e.stream_version = i.stream_version - 1
                           AND e.hash = i.prev_hash AND e.occurred_at <= i.occurred_at)
   ), inserted AS (
     INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
     SELECT event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash
       FROM input
      WHERE NOT EXISTS (SELECT 1 FROM broken_links)
      ORDER BY ordinal
     RETURNING global_position, event_id, recorded_at, transaction_id, stream_id, stream_version, hash
   ), heads AS (
     -- Every stream's head moves with its events, in the same statement.
     INSERT INTO stream_heads (stream_id, version, hash, last_global_position)
     SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash, global_position
       FROM inserted ORDER BY stream_id, stream_version DESC
     ON CONFLICT (stream_id) DO UPDATE
       SET version = excluded.version, hash = excluded.hash, last_global_position = excluded.last_global_position
       WHERE stream_heads.version < excluded.version
   )
   SELECT global_position::text AS global_position, event_id::text AS event_id, recorded_at,
          transaction_id::text AS transaction_id
     FROM inserted`,
);

async function insertEvents(tx: PoolClient, rows: PendingRow[]): Promise<RecordedEvent[]> {
  let result: Awaited<ReturnType<typeof insertEventRows>>;
  try {
    result = await insertEventRows(tx, [
      rows.map((row) => row.event.eventId),
      rows.map((row) => row.streamId),
      rows.map((row) => row.version),
      rows.map((row) => row.event.type),
      rows.map((row) => row.event.schemaVersion),
      rows.map((row) => JSON.stringify(row.event.data)),
      rows.map((row) => JSON.stringify(row.event.metadata)),
      rows.map((row) => canonicalInstant(row.event.occurredAt)),
      rows.map((row) => row.prevHash),
      rows.map((row) => row.hash),
      rows.map((row) => row.chainsOntoStoredHead),
    ]);
  } catch (error) {
    if (
      sqlState(error) === '23505' &&
      violatedConstraint(error) === 'events_stream_id_stream_version_key'
    ) {
      // A concurrent writer appended to one of these streams after we read its head. PostgreSQL
      // names the clashing key in the error detail: "Key (stream_id, stream_version)=(s, 5) ...".
      const detail =
        typeof (error as { detail?: unknown }).detail === 'string'
          ? (error as { detail: string }).detail
          : '';
      const clash = /=\((.*), (\d+)\) already exists/.exec(detail);
      const streamId = clash?.[1] ?? rows[0]?.streamId ?? 'unknown';
      const version = clash?.[2] ? Number(clash[2]) : (rows[0]?.version ?? 1);
      throw new ConcurrencyError(streamId, version - 1);
    }
    throw error;
  }
  if (result.rows.length !== rows.length) {
    // The stored head is not the one the caller chained onto.
    const first = rows.find((row) => row.chainsOntoStoredHead);
    throw new ConcurrencyError(first?.streamId ?? 'unknown', (first?.version ?? 1) - 1);
  }
  const stored = new Map(result.rows.map((row) => [row.event_id, row]));
  return rows.map((row) => {
    const inserted = stored.get(row.event.eventId);
    if (!inserted) throw new Error(`event ${row.event.eventId} was not returned by its insert`);
    return {
      globalPosition: BigInt(inserted.global_position),
      eventId: row.event.eventId,
      streamId: row.streamId,
      streamVersion: row.version,
      type: row.event.type,
      schemaVersion: row.event.schemaVersion,
      data: row.event.data,
      metadata: row.event.metadata,
      occurredAt: row.event.occurredAt,
      recordedAt: inserted.recorded_at,
      transactionId: BigInt(inserted.transaction_id),
      prevHash: row.prevHash,
      hash: row.hash,
    };
  });
}
