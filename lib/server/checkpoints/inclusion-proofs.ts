// Inclusion proofs for stored events: which checkpoint sealed each, its leaf index, and the audit
// path from its leaf to that checkpoint's tree head. Events newer than the last checkpoint have
// none yet. Each checkpoint's leaves are read once however many of its events are asked about.

import type { SignedCheckpoint } from '../../evidence/checkpoint';
import { inclusionPath } from '../../evidence/merkle';
import type { EvidenceEvent, InclusionProof } from '../../evidence/statement';
import { AppError } from '../../errors';
import type { Queryable } from '../db/pool';
import { CANONICAL_INSTANT_SQL } from './seal-checkpoint';
import { checkpointLeaves, getCheckpoint } from './stored-checkpoints';

/** An event as evidence documents carry it, with its place in the commit order. */
export interface EvidenceEventRow extends EvidenceEvent {
  readonly transactionId: string;
}

/** The events columns an `EvidenceEventRow` is read from (instants with their microseconds). */
export const EVIDENCE_EVENT_COLUMNS = `events.event_id::text AS "eventId", events.stream_id AS "streamId",
  events.stream_version AS "streamVersion", events.type, events.schema_version AS "schemaVersion",
  events.data, events.metadata, ${CANONICAL_INSTANT_SQL('events.occurred_at')} AS "occurredAt",
  events.prev_hash AS "prevHash", events.hash, events.global_position::text AS "globalPosition",
  ${CANONICAL_INSTANT_SQL('events.recorded_at')} AS "recordedAt",
  events.transaction_id::text AS "transactionId"`;

/** Strips what the evidence formats do not carry. */
export function toEvidenceEvent(row: EvidenceEventRow): EvidenceEvent {
  const { transactionId: _transactionId, ...event } = row;
  return event;
}

export interface Proven {
  /** Per event id: its proof, or null while it is not sealed yet. */
  readonly proofs: Map<string, InclusionProof | null>;
  /** The checkpoints the proofs refer to, in number order. */
  readonly checkpoints: SignedCheckpoint[];
}

export async function proveInclusion(
  db: Queryable,
  events: readonly EvidenceEventRow[],
): Promise<Proven> {
  const proofs = new Map<string, InclusionProof | null>();
  if (events.length === 0) return { proofs, checkpoints: [] };
  // The checkpoint that sealed each event: the first whose end is at or after it.
  const located = await db.query<{ event_id: string; number: string | null }>(
    `SELECT e.event_id, (SELECT c.number::text FROM checkpoints c
                          WHERE (c.through_transaction, c.through_position) >= (e.transaction_id::xid8, e.global_position)
                          ORDER BY c.through_transaction, c.through_position LIMIT 1) AS number
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS e(event_id, transaction_id, global_position)`,
    [
      events.map((event) => event.eventId),
      events.map((event) => event.transactionId),
      events.map((event) => event.globalPosition),
    ],
  );
  const numberOf = new Map(located.rows.map((row) => [row.event_id, row.number]));
  const byCheckpoint = new Map<number, EvidenceEventRow[]>();
  for (const event of events) {
    const number = numberOf.get(event.eventId);
    if (number === null || number === undefined) {
      proofs.set(event.eventId, null);
      continue;
    }
    const list = byCheckpoint.get(Number(number)) ?? [];
    list.push(event);
    byCheckpoint.set(Number(number), list);
  }
  const checkpoints: SignedCheckpoint[] = [];
  for (const number of [...byCheckpoint.keys()].sort((a, b) => a - b)) {
    const [signed, leaves] = await Promise.all([
      getCheckpoint({ db, number }),
      checkpointLeaves(db, number),
    ]);
    if (!signed || !leaves) throw new Error(`checkpoint ${number} vanished while proving`);
    checkpoints.push(signed);
    const indexOf = new Map(leaves.positions.map((position, index) => [position, index]));
    for (const event of byCheckpoint.get(number) ?? []) {
      const index = indexOf.get(event.globalPosition);
      if (index === undefined)
        // Inside a sealed range but never sealed: written there behind the ledger's back.
        throw new AppError(
          'not_found',
          `Event ${event.eventId} lies inside the range checkpoint ${number} sealed but is not one of its events: the ledger was altered behind its back (see the integrity report).`,
        );
      proofs.set(event.eventId, {
        checkpoint: number,
        leafIndex: index,
        treeSize: leaves.hashes.length,
        path: inclusionPath(leaves.hashes, index).map((node) => node.toString('hex')),
      });
    }
  }
  return { proofs, checkpoints };
}
