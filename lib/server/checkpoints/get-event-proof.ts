// "Prove this event is in the sealed ledger": the event with every input of its hash, its leaf's
// audit path and the signed checkpoint it leads to (docs/formats/evidence-v1.md §6).

import { publicJwk } from '../../evidence/checkpoint';
import { PROOF_FORMAT, type ProofDocument } from '../../evidence/statement';
import { UUID_PATTERN } from '../../ledger/limits';
import type { Queryable } from '../db/pool';
import {
  EVIDENCE_EVENT_COLUMNS,
  proveInclusion,
  toEvidenceEvent,
  type EvidenceEventRow,
} from './inclusion-proofs';
import { requireSigningKey } from './require-signing-key';

/** Null when there is no such event. */
export async function getEventProof(options: {
  eventId: string;
  db: Queryable;
}): Promise<ProofDocument | null> {
  requireSigningKey();
  if (!UUID_PATTERN.test(options.eventId)) return null;
  const found = await options.db.query<EvidenceEventRow>(
    `SELECT ${EVIDENCE_EVENT_COLUMNS} FROM events WHERE event_id = $1`,
    [options.eventId],
  );
  const [document] = await proofDocumentsFor(options.db, found.rows);
  return document ?? null;
}

/**
 * A proof document for each of `rows`, in their order: each checkpoint involved, and its leaves,
 * are read once however many of the events it sealed.
 */
export async function proofDocumentsFor(
  db: Queryable,
  rows: readonly EvidenceEventRow[],
): Promise<ProofDocument[]> {
  const key = requireSigningKey();
  const { proofs, checkpoints } = await proveInclusion(db, rows);
  const byNumber = new Map(checkpoints.map((signed) => [signed.checkpoint.number, signed]));
  return rows.map((row) => {
    const proof = proofs.get(row.eventId) ?? null;
    return {
      format: PROOF_FORMAT,
      event: toEvidenceEvent(row),
      status: proof ? 'sealed' : 'not_yet_sealed',
      proof,
      checkpoint: proof ? (byNumber.get(proof.checkpoint) ?? null) : null,
      publicKey: publicJwk(key.publicKey),
    };
  });
}
