// Cross-checks that catch what a per-link check cannot: a stream whose newest events were deleted
// (every remaining link is still valid) or whose verified events were changed after verification.
// Each projection row records the version and hash of its stream's head, and the verifier records
// the last link it verified; both must still match the stored events.

import { ACCOUNT_STREAM_PREFIX } from '../../ledger/events';
import type { Queryable } from '../db/pool';
import { MAX_REPORTED_PROBLEMS, type IntegrityProblem } from './integrity-problem';

const shortHash = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : 'none');

/** Every account whose projection disagrees with the head of its stream. */
export async function checkProjectionHeads(
  db: Queryable,
  options: { streamId?: string } = {},
): Promise<IntegrityProblem[]> {
  const result = await db.query<{
    stream_id: string;
    version: number;
    last_event_hash: string;
    head_version: number | null;
    head_hash: string | null;
    head_event_id: string | null;
    head_position: string | null;
  }>(
    `SELECT $1 || a.id AS stream_id, a.version, a.last_event_hash,
            h.stream_version AS head_version, h.hash AS head_hash, h.event_id AS head_event_id,
            h.global_position AS head_position
       FROM accounts a
       LEFT JOIN LATERAL (
         SELECT stream_version, hash, event_id::text, global_position::text FROM events e
          WHERE e.stream_id = $1 || a.id ORDER BY e.stream_version DESC LIMIT 1
       ) h ON true
      WHERE ($2::text IS NULL OR $1 || a.id = $2)
        AND (h.stream_version IS DISTINCT FROM a.version OR h.hash IS DISTINCT FROM a.last_event_hash)
      ORDER BY a.id LIMIT $3`,
    [ACCOUNT_STREAM_PREFIX, options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  return result.rows.map((row) => ({
    reason: 'head_mismatch',
    streamId: row.stream_id,
    streamVersion: row.version,
    ...(row.head_event_id ? { eventId: row.head_event_id } : {}),
    ...(row.head_position ? { globalPosition: row.head_position } : {}),
    detail:
      row.head_version === null
        ? `the account projection says version ${row.version} (hash ${shortHash(row.last_event_hash)}) but the stream has no events`
        : `the account projection says version ${row.version} (hash ${shortHash(row.last_event_hash)}) but the stream ends at version ${row.head_version} (hash ${shortHash(row.head_hash)})`,
  }));
}

/** Every stream whose last verified event is gone or no longer has the hash it was verified with. */
export async function checkVerifiedMarks(
  db: Queryable,
  options: { streamId?: string } = {},
): Promise<IntegrityProblem[]> {
  const result = await db.query<{
    stream_id: string;
    verified_version: number;
    verified_hash: string;
    hash: string | null;
    event_id: string | null;
    global_position: string | null;
  }>(
    `SELECT m.stream_id, m.verified_version, m.verified_hash, e.hash, e.event_id::text AS event_id,
            e.global_position::text AS global_position
       FROM integrity_marks m
       LEFT JOIN events e ON e.stream_id = m.stream_id AND e.stream_version = m.verified_version
      WHERE ($1::text IS NULL OR m.stream_id = $1) AND e.hash IS DISTINCT FROM m.verified_hash
      ORDER BY m.stream_id LIMIT $2`,
    [options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  return result.rows.map((row) => ({
    reason: 'verified_event_changed',
    streamId: row.stream_id,
    streamVersion: row.verified_version,
    ...(row.event_id ? { eventId: row.event_id } : {}),
    ...(row.global_position ? { globalPosition: row.global_position } : {}),
    detail:
      row.hash === null
        ? `version ${row.verified_version} was verified (hash ${shortHash(row.verified_hash)}) but no longer exists`
        : `version ${row.verified_version} was verified with hash ${shortHash(row.verified_hash)} but now stores ${shortHash(row.hash)}`,
  }));
}
