// Structured logs: one JSON object per line, so a log shipper can index every field. Warnings and
// errors go to stderr. Every server module logs through here, so the line shape stays the same.

import { randomUUID } from 'node:crypto';

type Level = 'info' | 'warn' | 'error';

// Info lines (one per API request, so thousands a second) are gathered and written once per turn
// of the event loop: one write instead of one per line, which on a busy server was a fifth of
// its CPU. Warnings and errors are written at once, and pending info lines go first so the order
// stays true. A process that exits flushes what is pending.
let pending: string[] = [];
let flushScheduled = false;

function flushInfoLines(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const text = `${pending.join('\n')}\n`;
  pending = [];
  process.stdout.write(text);
}

// Next.js may load this module more than once; each copy flushes its own lines on exit.
process.once('exit', flushInfoLines);

export function logLine(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === 'info') {
    pending.push(line);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushInfoLines);
    }
    return;
  }
  flushInfoLines();
  if (level === 'warn') console.warn(line);
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
