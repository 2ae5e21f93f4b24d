// Appends events to one or many streams inside the caller's transaction. Every stream names the
// version it expects to be at; a mismatch (now, or discovered by the unique index when a
// concurrent writer gets there first) is a ConcurrencyError and nothing of the call is written.

import { GENESIS_HASH, canonicalInstant, eventHash } from '../../ledger/hash-chain';
import { sqlState, violatedConstraint, type PoolClient } from '../db/pool';
import { ConcurrencyError, EventStoreInvariantError } from './errors';
import type { RecordedEvent, StreamAppend } from './types';

interface StreamHead {
  version: number;
  hash: string;
  occurredAt: Date | null;
}

export async function appendToStreams(tx: PoolClient, appends: readonly StreamAppend[]): Promise<RecordedEvent[]> {
  const streamIds = appends.map((append) => append.streamId);
  if (new Set(streamIds).size !== streamIds.length) {
    throw new Error('appendToStreams: each stream may appear once per call');
  }
  if (appends.every((append) => append.events.length === 0)) return [];

  const heads = await readStreamHeads(tx, streamIds);
  const rows: PendingRow[] = [];
  for (const append of appends) {
    const head = heads.get(append.streamId) ?? { version: 0, hash: GENESIS_HASH, occurredAt: null };
    if (head.version !== append.expectedVersion) {
      throw new ConcurrencyError(append.streamId, append.expectedVersion, head.version);
    }
    let prevHash = head.hash;
    let previousOccurredAt = head.occurredAt;
    let version = head.version;
    for (const event of append.events) {
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
      rows.push({ streamId: append.streamId, version, event, prevHash, hash });
      prevHash = hash;
      previousOccurredAt = event.occurredAt;
    }
  }
  return insertEvents(tx, rows);
}

async function readStreamHeads(tx: PoolClient, streamIds: string[]): Promise<Map<string, StreamHead>> {
  // The last event of each stream, found by a backward scan of the (stream_id, stream_version)
  // unique index: one row per stream however long the stream is.
  const result = await tx.query<{ stream_id: string; stream_version: number; hash: string; occurred_at: Date }>(
    `SELECT s.stream_id, e.stream_version, e.hash, e.occurred_at
       FROM unnest($1::text[]) AS s(stream_id)
       JOIN LATERAL (
         SELECT stream_version, hash, occurred_at FROM events
          WHERE events.stream_id = s.stream_id
          ORDER BY stream_version DESC LIMIT 1
       ) e ON true`,
    [streamIds],
  );
  return new Map(
    result.rows.map((row) => [row.stream_id, { version: row.stream_version, hash: row.hash, occurredAt: row.occurred_at }]),
  );
}

interface PendingRow {
  streamId: string;
  version: number;
  event: StreamAppend['events'][number];
  prevHash: string;
  hash: string;
}

async function insertEvents(tx: PoolClient, rows: PendingRow[]): Promise<RecordedEvent[]> {
  try {
    const result = await tx.query<{
      global_position: string;
      event_id: string;
      recorded_at: Date;
      transaction_id: string;
    }>(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
       SELECT event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[],
                     $8::timestamptz[], $9::text[], $10::text[]) WITH ORDINALITY
              AS input(event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash, ordinal)
        ORDER BY ordinal
       RETURNING global_position::text, event_id::text, recorded_at, transaction_id::text`,
      [
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
      ],
    );
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
  } catch (error) {
    if (sqlState(error) === '23505' && violatedConstraint(error) === 'events_stream_id_stream_version_key') {
      // A concurrent writer appended to one of these streams after we read its head. PostgreSQL
      // names the clashing key in the error detail: "Key (stream_id, stream_version)=(s, 5) ...".
      const detail = typeof (error as { detail?: unknown }).detail === 'string' ? (error as { detail: string }).detail : '';
      const clash = /=\((.*), (\d+)\) already exists/.exec(detail);
      const streamId = clash?.[1] ?? rows[0]?.streamId ?? 'unknown';
      const version = clash?.[2] ? Number(clash[2]) : (rows[0]?.version ?? 1);
      throw new ConcurrencyError(streamId, version - 1);
    }
    throw error;
  }
}
