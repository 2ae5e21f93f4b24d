// The check that catches an insider with database rights: the events in the database against
// the signed checkpoints kept outside it (a sink). The signed checkpoints are checked first (hash,
// signature, numbering, chaining); then every sealed range is rebuilt from the events as stored
// now — each event's hash recomputed from its contents — and must give the signed tree head. When
// it does not, the checkpoint's stored leaf list (trusted only if it gives the signed head)
// names what changed: an edited, deleted, inserted or reordered event, by checkpoint and position.
// Events after the last signed checkpoint are "not yet sealed", never verified.

import type { KeyObject } from 'node:crypto';
import {
  checkSignedCheckpoint,
  leafHashOf,
  NO_PREVIOUS_CHECKPOINT,
  type SignedCheckpoint,
} from '../../evidence/checkpoint';
import { merkleRoot } from '../../evidence/merkle';
import { eventHash } from '../../ledger/hash-chain';
import type { Queryable } from '../db/pool';
import {
  MAX_REPORTED_PROBLEMS,
  STORED_LINK_COLUMNS,
  type IntegrityProblem,
  type StoredLink,
} from '../integrity/integrity-problem';
import { CANONICAL_INSTANT_SQL } from './seal-checkpoint';
import { checkpointLeaves } from './stored-checkpoints';

export interface CheckpointVerification {
  /** Signed checkpoints checked against the database. */
  readonly checkedCheckpoints: number;
  /** The last signed checkpoint that was checked, if any. */
  readonly sealedThrough: { readonly number: number; readonly globalPosition: string } | null;
  /** Committed events after it: not yet sealed, so not verified by this check. */
  readonly unsealedEvents: number;
  readonly problems: IntegrityProblem[];
}

/** The pseudo-stream checkpoint-level problems are reported under. */
export const CHECKPOINTS_STREAM = 'checkpoints';

interface RangeEvent extends StoredLink {
  readonly recordedAt: string;
}

type Problems = IntegrityProblem[];

function add(problems: Problems, problem: IntegrityProblem): void {
  if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(problem);
}

/** Checks the database against `signed` (a sink's checkpoints, in number order). */
export async function verifyAgainstCheckpoints(
  db: Queryable,
  options: {
    signed: readonly SignedCheckpoint[];
    publicKey: KeyObject;
    /**
     * Ranges of checkpoints up to this number were checked before and are not read again (their
     * signatures and chaining still are: they are what later checkpoints chain to).
     */
    rangesCheckedThrough?: number;
  },
): Promise<CheckpointVerification> {
  const problems: Problems = [];
  let start = { transactionId: '0', globalPosition: '0' };
  let previous: SignedCheckpoint | undefined;
  let checked = 0;
  for (const signed of options.signed) {
    const number = signed.checkpoint.number;
    const invalid = checkSignedCheckpoint(signed, options.publicKey);
    const expectedNumber = previous ? previous.checkpoint.number + 1 : 1;
    const expectedPrevious = previous ? previous.hash : NO_PREVIOUS_CHECKPOINT;
    const sequenceBroken =
      number !== expectedNumber
        ? `the sink holds checkpoint ${number} where ${expectedNumber} belongs`
        : signed.checkpoint.previousHash !== expectedPrevious
          ? `checkpoint ${number} does not chain onto checkpoint ${number - 1}`
          : null;
    if (invalid || sequenceBroken) {
      add(problems, {
        reason: 'checkpoint_invalid',
        streamId: CHECKPOINTS_STREAM,
        streamVersion: number,
        checkpoint: number,
        detail: invalid ?? (sequenceBroken as string),
      });
      // Nothing after a checkpoint that cannot be trusted can be placed: stop here.
      break;
    }
    if (number > (options.rangesCheckedThrough ?? 0)) {
      await checkRange(db, signed, start, problems);
      checked += 1;
    }
    previous = signed;
    start = signed.checkpoint.through;
  }
  const unsealed = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events
      WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)`,
    [start.transactionId, start.globalPosition],
  );
  return {
    checkedCheckpoints: checked,
    sealedThrough: previous
      ? {
          number: previous.checkpoint.number,
          globalPosition: previous.checkpoint.through.globalPosition,
        }
      : null,
    unsealedEvents: unsealed.rows[0]?.n ?? 0,
    problems,
  };
}

async function checkRange(
  db: Queryable,
  signed: SignedCheckpoint,
  after: { transactionId: string; globalPosition: string },
  problems: Problems,
): Promise<void> {
  const body = signed.checkpoint;
  const at = (streamId: string, streamVersion: number) => ({
    streamId,
    streamVersion,
    checkpoint: body.number,
  });
  const stored = await db.query<{ hash: string }>(
    'SELECT hash FROM checkpoints WHERE number = $1',
    [body.number],
  );
  const storedHash = stored.rows[0]?.hash;
  if (storedHash !== signed.hash)
    add(problems, {
      reason: 'checkpoint_changed',
      ...at(CHECKPOINTS_STREAM, body.number),
      detail:
        storedHash === undefined
          ? `checkpoint ${body.number} is in the sink but gone from the database`
          : `the database's checkpoint ${body.number} is not the one that was signed`,
    });

  const events = (
    await db.query<RangeEvent>(
      `SELECT ${STORED_LINK_COLUMNS}, ${CANONICAL_INSTANT_SQL('recorded_at')} AS "recordedAt"
         FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
          AND (transaction_id, global_position) <= ($3::text::xid8, $4::bigint)
        ORDER BY transaction_id, global_position`,
      [
        after.transactionId,
        after.globalPosition,
        body.through.transactionId,
        body.through.globalPosition,
      ],
    )
  ).rows;
  // Each event's hash recomputed from its contents: a consistent rewrite of a stream (contents
  // and hashes) or an edit that left the stored hash alone both change the leaf.
  const leaves = events.map((event) =>
    leafHashOf({
      eventHash: eventHash(event),
      globalPosition: event.globalPosition,
      recordedAt: event.recordedAt,
    }),
  );
  if (events.length === body.eventCount && merkleRoot(leaves).toString('hex') === body.merkleRoot)
    return;

  const sealed = await checkpointLeaves(db, body.number);
  if (!sealed || merkleRoot(sealed.hashes).toString('hex') !== body.merkleRoot) {
    add(problems, {
      reason: 'checkpoint_changed',
      ...at(CHECKPOINTS_STREAM, body.number),
      detail: `the events of checkpoint ${body.number} no longer give its signed tree head, and its stored list of leaves was changed too, so the changed events cannot be named: ${events.length} events are in its range now, ${body.eventCount} were sealed`,
    });
    return;
  }
  const sealedIndex = new Map(sealed.positions.map((position, index) => [position, index]));
  const found = new Set<string>();
  let lastIndex = -1;
  let reordered: RangeEvent | undefined;
  for (const [index, event] of events.entries()) {
    const sealedAt = sealedIndex.get(event.globalPosition);
    const where = {
      ...at(event.streamId, event.streamVersion),
      eventId: event.eventId,
      globalPosition: event.globalPosition,
    };
    if (sealedAt === undefined) {
      add(problems, {
        reason: 'sealed_event_inserted',
        ...where,
        detail: `position ${event.globalPosition} is inside the range checkpoint ${body.number} sealed, which did not contain it`,
      });
      continue;
    }
    found.add(event.globalPosition);
    if (!(sealed.hashes[sealedAt] as Buffer).equals(leaves[index] as Buffer)) {
      const edited = eventHash(event) !== event.hash;
      add(problems, {
        reason: 'sealed_event_changed',
        ...where,
        detail: edited
          ? `position ${event.globalPosition} (leaf ${sealedAt} of checkpoint ${body.number}) was edited: its contents no longer hash to its stored hash`
          : `position ${event.globalPosition} (leaf ${sealedAt} of checkpoint ${body.number}) is not what was sealed: its contents and hash, or its recorded time, were rewritten`,
      });
    }
    if (sealedAt < lastIndex) reordered ??= event;
    lastIndex = Math.max(lastIndex, sealedAt);
  }
  for (const [index, position] of sealed.positions.entries()) {
    if (found.has(position)) continue;
    add(problems, {
      reason: 'sealed_event_deleted',
      ...at(sealed.streams[index] as string, sealed.versions[index] as number),
      globalPosition: position,
      detail: `position ${position} (leaf ${index} of checkpoint ${body.number}) was sealed and is no longer in its range: deleted, or moved in the commit order`,
    });
  }
  if (reordered)
    add(problems, {
      reason: 'sealed_events_reordered',
      ...at(reordered.streamId, reordered.streamVersion),
      eventId: reordered.eventId,
      globalPosition: reordered.globalPosition,
      detail: `the events of checkpoint ${body.number} are no longer in the order they were sealed in, from position ${reordered.globalPosition} on`,
    });
}
