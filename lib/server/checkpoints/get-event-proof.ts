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
  const key = requireSigningKey();
  if (!UUID_PATTERN.test(options.eventId)) return null;
  const found = await options.db.query<EvidenceEventRow>(
    `SELECT ${EVIDENCE_EVENT_COLUMNS} FROM events WHERE event_id = $1`,
    [options.eventId],
  );
  const row = found.rows[0];
  if (!row) return null;
  const { proofs, checkpoints } = await proveInclusion(options.db, [row]);
  const proof = proofs.get(row.eventId) ?? null;
  return {
    format: PROOF_FORMAT,
    event: toEvidenceEvent(row),
    status: proof ? 'sealed' : 'not_yet_sealed',
    proof,
    checkpoint: checkpoints[0] ?? null,
    publicKey: publicJwk(key.publicKey),
  };
}
