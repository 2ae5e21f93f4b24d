/** Start-up and script messages, one line each, so they stand out from Next.js's own output. */
export function log(message: string): void {
  console.log(`[chronicle] ${message}`);
}

/** Reports an error and marks the process as failed, letting cleanup (finally blocks) still run. */
export function reportFailure(error: unknown): void {
  console.error(`[chronicle] error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
