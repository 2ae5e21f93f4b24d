import { AppError } from '../../errors';
import { EVIDENCE_MAX_BYTES } from '../../ledger/dispute/dispute-rules';
import { readBodyWithin } from './read-json-body';

/** Room for the multipart framing around the file. */
const FRAMING_BYTES = 64 * 1024;

/**
 * Reads a multipart/form-data body holding one file in `field`: wrong media type → 415, larger
 * than a file may be → 413 (counted as it arrives, never buffered beyond the limit), no file → 400.
 */
export async function readUpload(
  request: Request,
  field: string,
): Promise<{ fileName: string; declaredType: string; bytes: Uint8Array }> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw new AppError(
      'unsupported_media_type',
      `Send the file as multipart/form-data, in the field "${field}".`,
    );
  const limit = EVIDENCE_MAX_BYTES + FRAMING_BYTES;
  if (Number(request.headers.get('content-length') ?? '0') > limit) throw tooLarge();
  const body = await readBodyWithin(request, limit, tooLarge);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw new AppError('validation_error', 'The multipart body could not be read.');
  }
  const file = form.get(field);
  if (!(file instanceof Blob))
    throw new AppError('validation_error', `No file in the field "${field}".`, {
      fieldErrors: { [field]: 'Required.' },
    });
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.byteLength > EVIDENCE_MAX_BYTES) throw tooLarge();
  return {
    fileName: 'name' in file && typeof file.name === 'string' ? file.name : 'evidence',
    declaredType: file.type,
    bytes,
  };
}

function tooLarge(): AppError {
  return new AppError('payload_too_large', 'Evidence files are at most 5 MiB each.');
}
