// A case's evidence package: one ZIP an auditor can check offline with the verifier and the
// public key alone. It holds the case as the API shows it, a proof document for each of the case's
// own events (each proves its event is in a signed checkpoint — the evidence files' hashes
// included), the evidence files, and a signed statement of the account from just before the
// charge to now, with inclusion proofs: the charge and every movement the case caused.

import { createHash } from 'node:crypto';
import { AppError } from '../../errors';
import { ConcurrencyGate } from '../auth/hashing-gate';
import type { SignedStatement } from '../../evidence/statement';
import { withSnapshot, type Pool, type Queryable } from '../db/pool';
import { proofDocumentsFor } from '../checkpoints/get-event-proof';
import { EVIDENCE_EVENT_COLUMNS, type EvidenceEventRow } from '../checkpoints/inclusion-proofs';
import { buildStatement } from '../statements/build-statement';
import type { DisputeResource } from '../http/to-api-resources';
import { toDisputeResource } from '../http/to-api-resources';
import { zipArchive, type ZipEntry } from '../zip/zip-archive';
import { getDispute, getDisputeFile } from './read-disputes';

export interface DisputePackage {
  readonly fileName: string;
  readonly bytes: Buffer;
}

/**
 * Null when there is no such case. Everything is read from one snapshot (a repeatable-read
 * transaction), so a step of the case committed meanwhile cannot make the case, its proofs and the
 * statement disagree.
 */
export async function buildDisputePackage(options: {
  disputeId: string;
  pool: Pool;
}): Promise<DisputePackage | null> {
  // A package holds up to 25 MiB of files in memory while it is built: a few at a time per
  // instance, a few more may wait, the rest are told to retry.
  const outcome = await PACKAGE_GATE.run(() =>
    withSnapshot(options.pool, async (tx) => {
      return buildFromSnapshot(options.disputeId, tx);
    }),
  );
  if (!outcome.isAdmitted)
    throw new AppError(
      'service_unavailable',
      'Chronicle is building other evidence packages; try again in a moment.',
    );
  return outcome.value;
}

const PACKAGE_GATE = new ConcurrencyGate({ maxRunning: 2, maxWaiting: 8, maxWaitMs: 30_000 });

async function buildFromSnapshot(disputeId: string, db: Queryable): Promise<DisputePackage | null> {
  const found = await getDispute(disputeId, db);
  if (!found) return null;
  const dispute = toDisputeResource(found);

  const caseEvents = await db.query<EvidenceEventRow>(
    `SELECT ${EVIDENCE_EVENT_COLUMNS} FROM events
      WHERE events.stream_id = $1 ORDER BY events.stream_version`,
    [`dispute-${found.id}`],
  );
  const proofs = await proofDocumentsFor(db, caseEvents.rows);

  // From just before the charge to the snapshot's own instant.
  const period = await db.query<{ charged_at: Date | null; until: Date }>(
    `SELECT (SELECT occurred_at FROM events WHERE event_id = $1::uuid) AS charged_at,
            date_trunc('milliseconds', now()) AS until`,
    [found.chargeEventId],
  );
  const chargedAt = period.rows[0]?.charged_at ?? found.openedAt;
  const statement = (await buildStatement({
    accountId: found.accountId,
    from: new Date(chargedAt.getTime() - 1),
    to: period.rows[0]?.until as Date,
    db,
  })) as SignedStatement;

  const files: ZipEntry[] = [];
  const manifest: Array<{
    path: string;
    evidenceId: string;
    fileName: string;
    sha256: string;
    contentType: string;
  }> = [];
  let index = 0;
  for (const item of found.evidence) {
    if (item.kind !== 'file') continue;
    index += 1;
    const file = await getDisputeFile(found.id, item.evidenceId, db);
    // A package never carries a file other than the one its event names, and never leaves one out.
    if (!file || createHash('sha256').update(file.bytes).digest('hex') !== item.sha256)
      throw new AppError(
        'integrity_violation',
        `Evidence ${item.evidenceId} of dispute ${found.id} is missing or does not match its recorded hash; Chronicle will not package it. See the integrity report.`,
      );
    // Entries are named by the case, not by the uploader: the name as uploaded is in the manifest.
    const path = `evidence/${index}-${item.evidenceId}.${EXTENSION_OF[file.contentType] ?? 'bin'}`;
    files.push({ name: path, bytes: file.bytes });
    manifest.push({
      path,
      evidenceId: item.evidenceId,
      fileName: item.fileName,
      sha256: item.sha256,
      contentType: file.contentType,
    });
  }

  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  const entries: ZipEntry[] = [
    { name: 'README.txt', bytes: Buffer.from(readme(dispute, manifest.length), 'utf8') },
    { name: 'case.json', bytes: json(dispute) },
    { name: 'statement.json', bytes: json(statement) },
    ...proofs.map((proof) => ({
      name: `proofs/${String(proof.event.streamVersion).padStart(3, '0')}-${proof.event.type}.json`,
      bytes: json(proof),
    })),
    { name: 'evidence/manifest.json', bytes: json(manifest) },
    ...files,
  ];
  return { fileName: `dispute-${disputeId}.zip`, bytes: zipArchive(entries) };
}

const EXTENSION_OF: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

function readme(dispute: DisputeResource, fileCount: number): string {
  return `Chronicle evidence package — dispute ${dispute.id}

Account ${dispute.accountId}, charge ${dispute.chargeEventId}, ${dispute.amount} ${dispute.currency}
(${dispute.reasonCode}), status ${dispute.status}.

case.json         The case as Chronicle's API shows it.
statement.json    A signed statement of the account from just before the charge to when this
                  package was made: the charge, and every movement the case caused
                  (provisional credit, refund, claw-back, collections), each line with its
                  inclusion proof in a signed checkpoint.
proofs/           One proof document per event of the case, in order: each proves its event
                  (and so what it says — amounts, notes, evidence file hashes) is in the sealed
                  ledger.
evidence/         The ${fileCount} evidence file(s); manifest.json gives each one's SHA-256,
                  which its proofs/…-dispute_evidence_added.json event records.

To check it offline — with Node.js 20+, Chronicle's verifier (verifier/chronicle-verify.mjs, one
file) and Chronicle's public key, obtained yourself from GET /api/v1/checkpoints/public-key over a
channel you trust:

  node chronicle-verify.mjs dispute-${dispute.id}.zip --public-key chronicle.jwk

(or the unzipped folder instead of the ZIP). It checks the statement and every proof against the
signed checkpoints, that the proofs are the case's whole stream, each evidence file against the
hash its event records, case.json against the events, and the money trail against the
statement's lines. Events newer than the last checkpoint are not sealed yet: ask for the package
again after the next checkpoint (within seconds) to have everything proven.
`;
}
