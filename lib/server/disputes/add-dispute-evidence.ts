import { createHash } from 'node:crypto';
import { AppError } from '../../errors';
import {
  EVIDENCE_MAX_BYTES,
  FILE_NAME_MAX_LENGTH,
  sniffEvidenceType,
} from '../../ledger/dispute/dispute-rules';
import { hasControlCharacters, isWellFormedText } from '../../ledger/limits';
import { getPool } from '../db/pool';
import { uuidv7 } from '../ids';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';

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
  const fileName = cleanFileName(upload.fileName);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Stored before the event that names it: a file without an event is harmless (and reused by the
  // next upload of the same bytes); an event without its file would not be.
  await (context.db ?? getPool()).query(
    `INSERT INTO dispute_files (sha256, content_type, size_bytes, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO NOTHING`,
    [sha256, contentType, bytes.byteLength, Buffer.from(bytes)],
  );
  return executeCommand({
    command: {
      type: 'add_dispute_evidence',
      disputeId,
      evidenceId: uuidv7(),
      fileName,
      contentType,
      sizeBytes: bytes.byteLength,
      sha256,
    },
    context,
    requestInput: { disputeId, fileName, sha256 },
  });
}

/** The name without any path, control characters or quotes; a default when nothing is left. */
function cleanFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/["<>]/g, '').trim();
  if (base === '' || hasControlCharacters(base) || !isWellFormedText(base)) return 'evidence';
  return base.slice(0, FILE_NAME_MAX_LENGTH);
}
