// What the integrity checks can find wrong, in one vocabulary for the background verifier, the
// full re-verification, the API and the audit page.

import { GENESIS_HASH, eventHash, type HashedEventFields } from '../../ledger/hash-chain';

export type IntegrityProblemReason =
  /** A row's contents no longer hash to its stored hash: the row was edited. */
  | 'hash_mismatch'
  /** A row does not chain onto the previous row of its stream. */
  | 'prev_hash_mismatch'
  /** Versions are missing in the middle of a stream. */
  | 'version_gap'
  /** The projection says the stream is longer or ends elsewhere: its newest events were removed or replaced. */
  | 'head_mismatch'
  /** An event that was verified earlier is gone or has changed. */
  | 'verified_event_changed'
  /** A projection (an account's balance, a hold's state) is not what its stream's events add up to. */
  | 'projection_mismatch'
  /** Events of a stream the ledger never recorded a head for: inserted behind its back. */
  | 'unrecorded_stream'
  /** A signed checkpoint from a sink does not verify, or does not follow the one before it. */
  | 'checkpoint_invalid'
  /** The database's copy of a signed checkpoint is gone or differs from the signed one. */
  | 'checkpoint_changed'
  /** A sealed event is not what its checkpoint sealed (contents, hash or recorded time). */
  | 'sealed_event_changed'
  /** A sealed event is gone from its checkpoint's range. */
  | 'sealed_event_deleted'
  /** An event sits inside a sealed range that did not contain it. */
  | 'sealed_event_inserted'
  /** The events of a sealed range are in another order than the one sealed. */
  | 'sealed_events_reordered';

export interface IntegrityProblem {
  readonly reason: IntegrityProblemReason;
  readonly streamId: string;
  readonly streamVersion: number;
  /** The offending event, when it still exists. */
  readonly eventId?: string;
  readonly globalPosition?: string;
  /** The signed checkpoint the problem was found against, for checkpoint checks. */
  readonly checkpoint?: number;
  readonly detail: string;
}

/** At most this many problems are kept and reported: enough to act on, bounded in size. */
export const MAX_REPORTED_PROBLEMS = 100;

/** One stored event as read back for verification: the fields its hash covers, and the hash. */
export interface StoredLink extends HashedEventFields {
  readonly globalPosition: string;
  /** Canonical text, as the database renders it (so driver rounding cannot matter). */
  readonly occurredAt: string;
  readonly hash: string;
}

/** The events columns `StoredLink` is read from, with occurred_at rendered canonically. */
export const STORED_LINK_COLUMNS = `global_position::text AS "globalPosition", event_id::text AS "eventId",
  stream_id AS "streamId", stream_version AS "streamVersion", type, schema_version AS "schemaVersion", data, metadata,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt",
  prev_hash AS "prevHash", hash`;

/**
 * Checks one link of a stream's chain: `link` must be the version after `previous` (or version 1
 * on the genesis hash), chain onto its hash, and hash to what it stores.
 */
export function checkLink(
  link: StoredLink,
  previous: { version: number; hash: string } | undefined,
): IntegrityProblem | undefined {
  const at = {
    streamId: link.streamId,
    streamVersion: link.streamVersion,
    eventId: link.eventId,
    globalPosition: link.globalPosition,
  };
  const expectedVersion = (previous?.version ?? 0) + 1;
  if (link.streamVersion !== expectedVersion) {
    return {
      ...at,
      reason: 'version_gap',
      detail: `expected version ${expectedVersion}, found ${link.streamVersion}`,
    };
  }
  const expectedPrev = previous?.hash ?? GENESIS_HASH;
  if (link.prevHash !== expectedPrev) {
    return {
      ...at,
      reason: 'prev_hash_mismatch',
      detail: `prev_hash ${link.prevHash} does not match ${expectedPrev}`,
    };
  }
  const recomputed = eventHash(link);
  if (recomputed !== link.hash) {
    return {
      ...at,
      reason: 'hash_mismatch',
      detail: `stored hash ${link.hash} but the row's contents hash to ${recomputed}`,
    };
  }
  return undefined;
}

/** Adds `found` to `problems` unless the same finding is already there; keeps the list bounded. */
export function mergeProblems(
  problems: readonly IntegrityProblem[],
  found: readonly IntegrityProblem[],
): IntegrityProblem[] {
  const merged = [...problems];
  const seen = new Set(merged.map(problemKey));
  for (const problem of found) {
    if (merged.length >= MAX_REPORTED_PROBLEMS) break;
    if (seen.has(problemKey(problem))) continue;
    seen.add(problemKey(problem));
    merged.push(problem);
  }
  return merged;
}

function problemKey(problem: IntegrityProblem): string {
  return `${problem.reason}\u0000${problem.streamId}\u0000${problem.streamVersion}`;
}

/** The problem at the lowest global position (problems without one come first). */
export function firstProblem(problems: readonly IntegrityProblem[]): IntegrityProblem | undefined {
  // A problem that names no stored event (a projection or a head out of step) comes after every
  // broken event: the broken event is the cause to look at first.
  const position = (problem: IntegrityProblem) =>
    problem.globalPosition === undefined ? null : BigInt(problem.globalPosition);
  return [...problems].sort((a, b) => {
    const [left, right] = [position(a), position(b)];
    if (left === null || right === null) return left === null ? (right === null ? 0 : 1) : -1;
    return left < right ? -1 : left > right ? 1 : 0;
  })[0];
}
