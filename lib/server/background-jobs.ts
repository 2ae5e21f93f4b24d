// The work every app instance does in the background, started once per server process by
// instrumentation.ts: the integrity verifier (a worker thread) and the maintenance that prunes
// expired rows. Each takes a PostgreSQL advisory lock, so N instances do the work once.

import { startIntegrityVerifier } from './integrity/integrity-verifier';
import { logLine } from './log';

export function startBackgroundJobs(): void {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return;
  if (process.env.CHRONICLE_BACKGROUND_JOBS === 'off') {
    logLine('info', 'background jobs are off (CHRONICLE_BACKGROUND_JOBS=off)');
    return;
  }
  const intervalMs = Number.parseInt(process.env.CHRONICLE_INTEGRITY_INTERVAL_MS ?? '', 10);
  startIntegrityVerifier({
    databaseUrl,
    ...(Number.isSafeInteger(intervalMs) && intervalMs > 0 ? { intervalMs } : {}),
  });
}
