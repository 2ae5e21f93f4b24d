// Cross-checks that catch what a per-link check cannot: a stream whose newest events were deleted
// (every remaining link is still valid), verified events changed after verification, projections
// edited behind the ledger's back (money minted in `accounts` with no event), and streams inserted
// behind its back. Every stream's head is recorded as its events are appended (stream_heads), each
// projection row records its stream's head too, and the verifier records the last link it verified
// and what an account's verified events add up to; all must still match the stored events.

import { ACCOUNT_STREAM_PREFIX } from '../../ledger/events';
import type { Queryable } from '../db/pool';
import { MAX_REPORTED_PROBLEMS, type IntegrityProblem } from './integrity-problem';

const shortHash = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : 'none');

interface HeadRow {
  stream_id: string;
  version: number;
  hash: string;
  head_version: number | null;
  head_hash: string | null;
  head_event_id: string | null;
  head_position: string | null;
}

/** The stream's newest stored event, for a query with `<stream id expression>` in scope. */
const latestEvent = (streamId: string) => `LEFT JOIN LATERAL (
   SELECT stream_version, hash, event_id::text, global_position::text FROM events e
    WHERE e.stream_id = ${streamId} ORDER BY e.stream_version DESC LIMIT 1
 ) h ON true`;

const HEAD_COLUMNS = `h.stream_version AS head_version, h.hash AS head_hash, h.event_id AS head_event_id,
  h.global_position AS head_position`;

function headProblem(row: HeadRow, says: string): IntegrityProblem {
  return {
    reason: 'head_mismatch',
    streamId: row.stream_id,
    streamVersion: row.version,
    ...(row.head_event_id ? { eventId: row.head_event_id } : {}),
    ...(row.head_position ? { globalPosition: row.head_position } : {}),
    detail:
      row.head_version === null
        ? `${says} version ${row.version} (hash ${shortHash(row.hash)}) but the stream has no events`
        : `${says} version ${row.version} (hash ${shortHash(row.hash)}) but the stream ends at version ${row.head_version} (hash ${shortHash(row.head_hash)})`,
  };
}

/** Every stream whose recorded head disagrees with its newest stored event. */
export async function checkStreamHeads(
  db: Queryable,
  options: { streamId?: string } = {},
): Promise<IntegrityProblem[]> {
  const result = await db.query<HeadRow>(
    `SELECT s.stream_id, s.version, s.hash, ${HEAD_COLUMNS}
       FROM stream_heads s ${latestEvent('s.stream_id')}
      WHERE ($1::text IS NULL OR s.stream_id = $1)
        AND (h.stream_version IS DISTINCT FROM s.version OR h.hash IS DISTINCT FROM s.hash)
      ORDER BY s.stream_id LIMIT $2`,
    [options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  return result.rows.map((row) => headProblem(row, "the stream's recorded head is"));
}

/** Every account, hold and dispute case whose projection disagrees with the head of its stream. */
export async function checkProjectionHeads(
  db: Queryable,
  options: { streamId?: string } = {},
): Promise<IntegrityProblem[]> {
  const accounts = await db.query<HeadRow>(
    `SELECT $1 || a.id AS stream_id, a.version, a.last_event_hash AS hash, ${HEAD_COLUMNS}
       FROM accounts a ${latestEvent('$1 || a.id')}
      WHERE ($2::text IS NULL OR $1 || a.id = $2)
        AND (h.stream_version IS DISTINCT FROM a.version OR h.hash IS DISTINCT FROM a.last_event_hash)
      ORDER BY a.id LIMIT $3`,
    [ACCOUNT_STREAM_PREFIX, options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  const holds = await db.query<HeadRow>(
    `SELECT 'hold-' || o.hold_id AS stream_id, o.version, o.last_event_hash AS hash, ${HEAD_COLUMNS}
       FROM holds o ${latestEvent("'hold-' || o.hold_id")}
      WHERE ($1::text IS NULL OR 'hold-' || o.hold_id = $1)
        AND (h.stream_version IS DISTINCT FROM o.version OR h.hash IS DISTINCT FROM o.last_event_hash)
      ORDER BY o.hold_id LIMIT $2`,
    [options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  const disputes = await db.query<HeadRow>(
    `SELECT 'dispute-' || o.dispute_id AS stream_id, o.version, o.last_event_hash AS hash, ${HEAD_COLUMNS}
       FROM disputes o ${latestEvent("'dispute-' || o.dispute_id")}
      WHERE ($1::text IS NULL OR 'dispute-' || o.dispute_id = $1)
        AND (h.stream_version IS DISTINCT FROM o.version OR h.hash IS DISTINCT FROM o.last_event_hash)
      ORDER BY o.dispute_id LIMIT $2`,
    [options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  return [
    ...accounts.rows.map((row) => headProblem(row, 'the account projection says')),
    ...holds.rows.map((row) => headProblem(row, 'the hold projection says')),
    ...disputes.rows.map((row) => headProblem(row, 'the dispute projection says')),
  ];
}

/**
 * Every stream whose last verified event is gone or no longer has the hash it was verified with,
 * and every account whose projected balance is not what its verified events add up to.
 */
export async function checkVerifiedMarks(
  db: Queryable,
  options: { streamId?: string } = {},
): Promise<IntegrityProblem[]> {
  const changed = await db.query<{
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
  const balances = await db.query<{
    stream_id: string;
    version: number;
    balance: string;
    verified: string;
  }>(
    `SELECT m.stream_id, a.version, a.balance_minor::text AS balance, m.verified_balance_minor::text AS verified
       FROM accounts a
       JOIN integrity_marks m ON m.stream_id = $1 || a.id AND m.verified_version = a.version
      WHERE ($2::text IS NULL OR m.stream_id = $2)
        AND m.verified_balance_minor IS DISTINCT FROM a.balance_minor
      ORDER BY a.id LIMIT $3`,
    [ACCOUNT_STREAM_PREFIX, options.streamId ?? null, MAX_REPORTED_PROBLEMS],
  );
  return [
    ...changed.rows.map((row): IntegrityProblem => ({
      reason: 'verified_event_changed',
      streamId: row.stream_id,
      streamVersion: row.verified_version,
      ...(row.event_id ? { eventId: row.event_id } : {}),
      ...(row.global_position ? { globalPosition: row.global_position } : {}),
      detail:
        row.hash === null
          ? `version ${row.verified_version} was verified (hash ${shortHash(row.verified_hash)}) but no longer exists`
          : `version ${row.verified_version} was verified with hash ${shortHash(row.verified_hash)} but now stores ${shortHash(row.hash)}`,
    })),
    ...balances.rows.map((row): IntegrityProblem => ({
      reason: 'projection_mismatch',
      streamId: row.stream_id,
      streamVersion: row.version,
      detail: `the account projection says balance ${row.balance} (minor units) at version ${row.version}, but its verified events add up to ${row.verified}`,
    })),
  ];
}

/** Streams with events but no recorded head: written behind the ledger's back. A full scan. */
export async function checkUnrecordedStreams(db: Queryable): Promise<IntegrityProblem[]> {
  const result = await db.query<{ stream_id: string; versions: number }>(
    `SELECT e.stream_id, count(*)::int AS versions FROM events e
      WHERE NOT EXISTS (SELECT 1 FROM stream_heads s WHERE s.stream_id = e.stream_id)
      GROUP BY e.stream_id ORDER BY e.stream_id LIMIT $1`,
    [MAX_REPORTED_PROBLEMS],
  );
  return result.rows.map((row) => ({
    reason: 'unrecorded_stream',
    streamId: row.stream_id,
    streamVersion: row.versions,
    detail: `${row.versions} event(s) in a stream the ledger never recorded a head for`,
  }));
}
