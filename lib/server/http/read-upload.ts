import { AppError } from '../../errors';
import { EVIDENCE_MAX_BYTES } from '../../ledger/dispute/dispute-rules';
import { readBodyWithin } from './read-json-body';

/** Room for the multipart framing around the file. */
const FRAMING_BYTES = 64 * 1024;

/**
 * Reads a multipart/form-data body of at most a file's limit plus its framing: wrong media type →
 * 415, larger → 413 (counted as it arrives, never buffered beyond the limit), unreadable → 400.
 */
export async function readMultipartForm(request: Request, field: string): Promise<FormData> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw new AppError(
      'unsupported_media_type',
      `Send the file as multipart/form-data, in the field "${field}".`,
    );
  const limit = EVIDENCE_MAX_BYTES + FRAMING_BYTES;
  if (Number(request.headers.get('content-length') ?? '0') > limit) throw tooLarge();
  const body = await readBodyWithin(request, limit, tooLarge);
  try {
    return await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw new AppError('validation_error', 'The multipart body could not be read.');
  }
}

/** Reads a multipart/form-data body holding one evidence file in `field` (no file → 400). */
export async function readUpload(
  request: Request,
  field: string,
): Promise<{ fileName: string; declaredType: string; bytes: Uint8Array }> {
  return uploadIn(await readMultipartForm(request, field), field);
}

/** The file in `field` of a form that was read within the limit. */
export async function uploadIn(
  form: FormData,
  field: string,
): Promise<{ fileName: string; declaredType: string; bytes: Uint8Array }> {
  const file = form.get(field);
  if (!(file instanceof Blob) || file.size === 0)
    throw new AppError('validation_error', `No file in the field "${field}".`, {
      fieldErrors: { [field]: 'Choose a file to upload.' },
    });
  if (file.size > EVIDENCE_MAX_BYTES) throw tooLarge();
  return {
    fileName: 'name' in file && typeof file.name === 'string' ? file.name : 'evidence',
    declaredType: file.type,
    bytes: new Uint8Array(await file.arrayBuffer()),
  };
}

function tooLarge(): AppError {
  return new AppError('payload_too_large', 'Evidence files are at most 5 MiB each.');
}
