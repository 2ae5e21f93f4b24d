// The work every app instance does in the background, started once per server process by
// instrumentation.ts: the integrity verifier (a worker thread), the checkpoint sealer, the hold
// sweeper (recording holds that expired) and the pruning of expired rows. Each takes a PostgreSQL
// advisory lock, so N instances do the work once (every instance writes its own checkpoint sinks).

import { checkpointSetup } from './checkpoints/checkpoint-settings';
import { startCheckpointSealer } from './checkpoints/checkpoint-sealer';
import { expireDueHolds } from './commands/expire-due-holds';
import { getPool } from './db/pool';
import { startIntegrityVerifier } from './integrity/integrity-verifier';
import { errorMessage, logLine } from './log';
import { pruneExpiredRows, pruneSettingsFromEnvironment } from './maintenance/prune-expired-rows';

/** How often an instance asks whether pruning is due (it runs once per interval across instances). */
const PRUNE_CHECK_MS = 5 * 60 * 1000;
/**
 * How often expired holds are recorded. A hold stops reserving funds at its expiry whether or not
 * this has run; the sweep only writes the `hold_expired` fact down.
 */
const HOLD_SWEEP_MS = 30 * 1000;

export function startBackgroundJobs(): void {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return;
  if (process.env.CHRONICLE_BACKGROUND_JOBS === 'off') {
    // Workers other than the first leave them to it (scripts/serve.ts): nothing worth a line.
    const worker = process.env.CHRONICLE_WORKER_INDEX;
    if (worker === undefined || worker === '0')
      logLine('info', 'background jobs are off (CHRONICLE_BACKGROUND_JOBS=off)');
    return;
  }
  const intervalMs = Number.parseInt(process.env.CHRONICLE_INTEGRITY_INTERVAL_MS ?? '', 10);
  startIntegrityVerifier({
    databaseUrl,
    ...(Number.isSafeInteger(intervalMs) && intervalMs > 0 ? { intervalMs } : {}),
  });

  const settings = pruneSettingsFromEnvironment();
  const prune = () => {
    pruneExpiredRows(getPool(), settings).then(
      (outcome) => {
        if (outcome.ran) logLine('info', 'pruned expired rows', { deleted: outcome.deleted });
      },
      (error: unknown) =>
        logLine('warn', 'pruning expired rows failed; retrying later', {
          error: errorMessage(error),
        }),
    );
  };
  prune();
  setInterval(prune, Math.min(PRUNE_CHECK_MS, settings.intervalMs)).unref();

  let sweeping = false;
  const sweepHolds = () => {
    if (sweeping) return;
    sweeping = true;
    expireDueHolds()
      .then(
        (outcome) => {
          if (outcome.ran && outcome.expired > 0)
            logLine('info', 'recorded expired holds', { expired: outcome.expired });
        },
        (error: unknown) =>
          logLine('warn', 'recording expired holds failed; retrying later', {
            error: errorMessage(error),
          }),
      )
      .finally(() => {
        sweeping = false;
      });
  };
  sweepHolds();
  setInterval(sweepHolds, HOLD_SWEEP_MS).unref();

  const { key, settings: sealing } = checkpointSetup();
  if (key) startCheckpointSealer({ db: getPool(), key, settings: sealing });
  else
    logLine('warn', 'no CHRONICLE_SIGNING_KEY: this instance seals no checkpoints', {
      hint: 'openssl genpkey -algorithm ed25519',
    });
}
