// RFC 9457 problem details for the HTTP API: every error is `application/problem+json` with a
// stable `code`. Messages come from typed errors only; anything unexpected becomes a generic 500
// (or 503 when the database is out of reach) and is logged with the request id.

import { AppError } from '../../errors';
import { sqlState } from '../db/pool';
import { logLine, logUnexpectedError } from '../log';
import { problemResponse } from './problem-response';

export { problemResponse } from './problem-response';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08006',
]);

function isDatabaseUnreachable(error: unknown): boolean {
  const code = sqlState(error);
  if (code && UNREACHABLE.has(code)) return true;
  return (
    error instanceof Error &&
    /timeout exceeded when trying to connect|Connection terminated/i.test(error.message)
  );
}

export function errorToProblem(error: unknown, requestId: string): Response {
  if (error instanceof AppError)
    return problemResponse(error.code, error.message, requestId, error.fieldErrors);
  if (isDatabaseUnreachable(error)) {
    logLine('error', 'database unreachable', { requestId });
    return problemResponse(
      'service_unavailable',
      'The ledger database cannot be reached. Nothing was recorded; retry later with the same Idempotency-Key.',
      requestId,
    );
  }
  logUnexpectedError('unhandled API error', error, { requestId });
  return problemResponse(
    'internal_error',
    `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    requestId,
  );
}
