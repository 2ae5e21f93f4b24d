// The error the embedded PostgreSQL reports to a person. Its message is one line that says what went
// wrong and what to do about it; the scripts (npm start, npm test, db:migrate…) print it as it is,
// so nothing here may carry a stack, raw multi-line tool output or a secret.

/** Which step failed: who runs the server, where it lives, its binaries, initdb, or the server itself. */
export type EmbeddedPostgresFailure =
  'server_account' | 'location' | 'binaries' | 'initdb' | 'start';

export class EmbeddedPostgresError extends Error {
  readonly failure: EmbeddedPostgresFailure;

  constructor(failure: EmbeddedPostgresFailure, message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
    this.name = 'EmbeddedPostgresError';
    this.failure = failure;
  }
}

/** Folds tool output (initdb's or postgres's messages) into a single line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The errno code of a Node.js system error (`EACCES`, `ENOENT`…), if it is one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** A short reason for a failed system call: `EACCES: permission denied, mkdir '/x'` → as is, one line. */
export function reasonOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}
