// Structured logs: one JSON object per line, so a log shipper can index every field. Warnings and
// errors go to stderr. Every server module logs through here, so the line shape stays the same.

import { randomUUID } from 'node:crypto';

type Level = 'info' | 'warn' | 'error';

export function logLine(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'info') console.log(line);
  else if (level === 'warn') console.warn(line);
  else console.error(line);
}

/** The message of a failure, for logs that only need to say what went wrong. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Logs a failure nobody anticipated, with its stack, under a fresh reference that the user is
 * shown instead of the error itself. Returns the reference.
 */
export function logUnexpectedError(
  msg: string,
  error: unknown,
  fields: Record<string, unknown> = {},
): string {
  const reference = randomUUID();
  logLine('error', msg, {
    ...fields,
    reference,
    error: error instanceof Error ? error.stack : String(error),
  });
  return reference;
}
