import type { z } from 'zod';
import { AppError } from '../../errors';
import { zodFieldErrors } from '../../schemas/field-errors';

export const MAX_BODY_BYTES = 64 * 1024;

export function validationError(error: z.ZodError, what: string): AppError {
  const errors = zodFieldErrors(error, 'body');
  const fields = Object.keys(errors);
  return new AppError(
    'validation_error',
    `The ${what} is not valid: ${fields.map((field) => `${field}: ${errors[field]}`).join('; ')}`,
    {
      fieldErrors: errors,
    },
  );
}

/**
 * Reads a JSON body of at most 64 KiB and validates it: wrong media type → 415, too large → 413,
 * malformed or invalid → 400. The body is read incrementally, so an oversized one is refused
 * without being buffered whole.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const contentType =
    (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(contentType)) {
    throw new AppError('unsupported_media_type', 'Send the request body as application/json.');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES)
    throw new AppError(
      'payload_too_large',
      `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
    );
  const text = (
    await readBodyWithin(
      request,
      MAX_BODY_BYTES,
      () =>
        new AppError('payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`),
    )
  ).toString('utf8');
  if (text.trim() === '')
    throw new AppError('validation_error', 'A JSON object body is required.', {
      fieldErrors: { body: 'Required.' },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('validation_error', 'The request body is not valid JSON.', {
      fieldErrors: { body: 'Malformed JSON.' },
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError('validation_error', 'The request body must be a JSON object.', {
      fieldErrors: { body: 'Expected an object.' },
    });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw validationError(result.error, 'request body');
  return result.data;
}

/**
 * The request's body, read as it arrives and refused with `tooLarge()` as soon as it passes
 * `limit` bytes: an oversized body is never buffered whole.
 */
export async function readBodyWithin(
  request: Request,
  limit: number,
  tooLarge: () => AppError,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}
