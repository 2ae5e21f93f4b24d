// An RFC 9457 problem answer. Free of server-only dependencies, so that proxy.ts can answer with
// one too.

import { ERROR_CODES, type ErrorCode, type FieldErrors } from '../../errors';

export function problemResponse(
  code: ErrorCode,
  detail: string,
  requestId: string,
  errors?: FieldErrors,
): Response {
  const { status, title } = ERROR_CODES[code];
  const body = {
    type: `urn:chronicle:problem:${code}`,
    title,
    status,
    detail,
    code,
    ...(errors && Object.keys(errors).length ? { errors } : {}),
    requestId,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...(code === 'unauthorized' ? { 'WWW-Authenticate': 'Bearer realm="chronicle"' } : {}),
    },
  });
}
