import { createHash } from 'node:crypto';
import { AppError } from '../../errors';
import {
  EVIDENCE_MAX_BYTES,
  FILE_NAME_MAX_LENGTH,
  sniffEvidenceType,
  type EvidenceContentType,
} from '../../ledger/dispute/dispute-rules';
import { decide } from '../../ledger/commands';
import { emptyLedgerState } from '../../ledger/ledger-state';
import { isWellFormedText, UUID_PATTERN } from '../../ledger/limits';
import {
  DISPUTE_COLUMNS,
  disputeRowToState,
  type DisputeRow,
} from '../aggregates/dispute/dispute-record';
import { disputeNotFound } from './find-dispute-case';
import { getPool } from '../db/pool';
import { uuidv7 } from '../ids';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand, storedAnswer } from '../pipeline/execute-command';

export interface EvidenceUpload {
  readonly fileName: string;
  /** The content type the client declared; the file's own first bytes must agree with it. */
  readonly declaredType: string;
  readonly bytes: Uint8Array;
}

/**
 * Adds a file to a case's evidence. The bytes are kept once, by their SHA-256, beside the log
 * (`dispute_files`, insert-only); the case's event records the hash, so the file a package
 * carries can be checked against the sealed ledger. The type is what the bytes are (PDF, PNG or
 * JPEG), not what the client claims.
 */
export async function addDisputeEvidence(options: {
  disputeId: string;
  upload: EvidenceUpload;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, upload, context } = options;
  const { bytes } = upload;
  if (bytes.byteLength === 0)
    throw new AppError('validation_error', 'The file is empty.', {
      fieldErrors: { file: 'The file is empty.' },
    });
  if (bytes.byteLength > EVIDENCE_MAX_BYTES)
    throw new AppError('payload_too_large', 'Evidence files are at most 5 MiB each.');
  const contentType = sniffEvidenceType(bytes);
  if (contentType === null || (upload.declaredType !== '' && upload.declaredType !== contentType))
    throw new AppError(
      'unsupported_media_type',
      'Evidence must be a PDF, PNG or JPEG file, sent with its own content type.',
    );
  const fileName = cleanFileName(upload.fileName, contentType);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const command = {
    type: 'add_dispute_evidence',
    disputeId,
    evidenceId: uuidv7(),
    fileName,
    contentType,
    sizeBytes: bytes.byteLength,
    sha256,
  } as const;
  const db = context.db ?? getPool();
  // The case's rules first, on the case as it stands (the pipeline decides again under lock): a
  // file for no case, a resolved one or one that is full is refused before anything is stored.
  const current = await db.query<DisputeRow>(
    `SELECT ${DISPUTE_COLUMNS} FROM disputes d WHERE d.dispute_id = $1`,
    [UUID_PATTERN.test(disputeId) ? disputeId : null],
  );
  const row = current.rows[0];
  if (!row) throw disputeNotFound(disputeId);
  const requestInput = { disputeId, fileName, sha256 };
  try {
    decide(
      command,
      { ...emptyLedgerState, dispute: new Map([[disputeId, disputeRowToState(row)]]) },
      row.updated_at,
    );
  } catch (error) {
    // A retry of an upload that was recorded gets its first answer (decision 004), even though
    // the case could not take the file now: it was submitted since, or this very file filled it.
    // Looked up only on a refusal; the first attempt stored the file.
    const earlier =
      error instanceof AppError
        ? await storedAnswer({ operation: command.type, context, requestInput })
        : null;
    if (earlier) return earlier;
    throw error;
  }
  // Stored before the event that names it: a file without an event is harmless (and reused by the
  // next upload of the same bytes); an event without its file would not be.
  await db.query(
    `INSERT INTO dispute_files (sha256, content_type, size_bytes, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO NOTHING`,
    [sha256, contentType, bytes.byteLength, Buffer.from(bytes)],
  );
  return executeCommand({ command, context, requestInput });
}

const EXTENSIONS: Record<EvidenceContentType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
};

/**
 * The name as people will see it, open it and unpack it: no path, no control or format
 * characters (a right-to-left override makes `report\u202Efdp.exe` read as `reportexe.pdf`), none
 * of the characters Windows refuses, and ending in the extension of what the bytes are — so a
 * PDF named `invoice.hta` is kept as `invoice.hta.pdf` and opens as a PDF, not as a program.
 */
function cleanFileName(name: string, type: EvidenceContentType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\p{Cc}\p{Cf}"<>:*?|]/gu, '')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const kept = isWellFormedText(base) && base !== '' ? base : 'evidence';
  const [extension] = EXTENSIONS[type];
  const hasOwn = EXTENSIONS[type].some((known) => kept.toLowerCase().endsWith(`.${known}`));
  const suffix = hasOwn ? '' : `.${extension}`;
  return `${kept.slice(0, FILE_NAME_MAX_LENGTH - suffix.length)}${suffix}`;
}
