// Recomputes every stream's hash chain from the stored rows and reports the first broken link.
// Timestamps are read back as canonical text by the database itself, so the check does not
// depend on how a driver rounds them.

import { GENESIS_HASH, eventHash } from '../../ledger/hash-chain';
import type { Queryable } from '../db/pool';

export type BrokenLinkReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'version_gap';

export interface BrokenLink {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly globalPosition: bigint;
  readonly reason: BrokenLinkReason;
  readonly detail: string;
}

export interface IntegrityReport {
  readonly ok: boolean;
  readonly checkedEvents: number;
  /** The broken link with the lowest global position, when there is one. */
  readonly firstBroken?: BrokenLink;
}

const PAGE_SIZE = 5_000;

interface IntegrityRow {
  global_position_text: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at_text: string;
  prev_hash: string;
  hash: string;
}

export async function verifyIntegrity(
  db: Queryable,
  options: { streamId?: string } = {},
): Promise<IntegrityReport> {
  let checkedEvents = 0;
  let firstBroken: BrokenLink | undefined;
  let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
  let previous: { streamId: string; version: number; hash: string } | undefined;
  let brokenStream: string | undefined;

  for (;;) {
    const page = await db.query<IntegrityRow>(
      `SELECT global_position::text AS global_position_text, event_id::text AS event_id, stream_id, stream_version,
              type, schema_version, data, metadata, prev_hash, hash,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at_text
         FROM events
        WHERE (stream_id, stream_version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
        ORDER BY events.stream_id, events.stream_version
        LIMIT $4`,
      [cursor.streamId, cursor.version, options.streamId ?? null, PAGE_SIZE],
    );
    for (const row of page.rows) {
      checkedEvents += 1;
      const isNewStream = previous?.streamId !== row.stream_id;
      if (isNewStream) previous = undefined;
      // After the first break in a stream, later links are reported through that one.
      if (brokenStream === row.stream_id) continue;
      const problem = checkLink(row, previous);
      if (problem) {
        brokenStream = row.stream_id;
        const link: BrokenLink = {
          streamId: row.stream_id,
          streamVersion: row.stream_version,
          eventId: row.event_id,
          globalPosition: BigInt(row.global_position_text),
          ...problem,
        };
        if (!firstBroken || link.globalPosition < firstBroken.globalPosition) firstBroken = link;
      }
      previous = { streamId: row.stream_id, version: row.stream_version, hash: row.hash };
    }
    const last = page.rows[page.rows.length - 1];
    if (!last || page.rows.length < PAGE_SIZE) break;
    cursor = { streamId: last.stream_id, version: last.stream_version };
  }
  return firstBroken ? { ok: false, checkedEvents, firstBroken } : { ok: true, checkedEvents };
}

function checkLink(
  row: IntegrityRow,
  previous: { version: number; hash: string } | undefined,
): { reason: BrokenLinkReason; detail: string } | undefined {
  const expectedVersion = (previous?.version ?? 0) + 1;
  if (row.stream_version !== expectedVersion) {
    return {
      reason: 'version_gap',
      detail: `expected version ${expectedVersion}, found ${row.stream_version}`,
    };
  }
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (row.prev_hash !== expectedPrev) {
    return {
      reason: 'prev_hash_mismatch',
      detail: `prev_hash ${row.prev_hash} does not match ${expectedPrev}`,
    };
  }
  const recomputed = eventHash({
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at_text,
    prevHash: row.prev_hash,
  });
  if (recomputed !== row.hash) {
    return {
      reason: 'hash_mismatch',
      detail: `stored hash ${row.hash} but the row's contents hash to ${recomputed}`,
    };
  }
  return undefined;
}
