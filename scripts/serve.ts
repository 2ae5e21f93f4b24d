// Serves the production build through Chronicle's HTTP server (lib/server/http/http-server.ts) on PORT
// (default 3000), trusting X-Forwarded-For only from TRUSTED_PROXIES. `npm start` runs this after
// preparing the database and the build; the browser tests run it directly. It expects DATABASE_URL,
// NEXTAUTH_SECRET and NEXTAUTH_URL in its environment, as `next start` would.
//
// With WEB_CONCURRENCY above 1 (by default: one per core) this process only supervises: it forks
// that many workers, each a whole Chronicle server, and Node's cluster module shares the port
// among them. A worker that dies is replaced; Ctrl-C stops them all. Each worker serves HTTP
// requests up to the command, then hands the command to this process, whose one batcher gives
// all workers' commands group commit together (lib/server/pipeline/shared-batcher.ts); what must
// reach every worker — wake-ups after commits (unless Redis carries them), revoked API keys,
// ended sessions — travels through PostgreSQL's LISTEN/NOTIFY. This process also counts every
// worker's live streams against the per-user cap. Only the first worker runs the background jobs.

import cluster, { type Worker } from 'node:cluster';
import {
  approvalPolicy,
  describeApprovalPolicy,
} from '../lib/server/approvals/approval-policy-config';
import { dueDaysPolicy } from '../lib/server/disputes/dispute-policy';
import { parseTrustedProxies } from '../lib/server/http/client-address';
import { serveChronicle } from '../lib/server/http/http-server';
import { CLUSTERED_ENV, webConcurrency } from '../lib/server/http/web-concurrency';
import { serveStreamSlots, SHARED_STREAM_SLOTS_ENV } from '../lib/server/live-updates/stream-slots';
import { serveWorkerCommands, SHARED_BATCHER_ENV } from '../lib/server/pipeline/shared-batcher';
import { log, reportFailure } from './lib/cli-log';

/** Exit codes of a process ended by a signal (128 + its number), as `next start` uses. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
/** A worker that dies this soon after starting, this many times in a row, stops the server. */
const EARLY_DEATH_MS = 15_000;
const EARLY_DEATHS_ALLOWED = 5;
const WORKER_INDEX = 'CHRONICLE_WORKER_INDEX';

function onStopSignal(stop: (signal: keyof typeof SIGNAL_EXIT_CODES) => void): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    });
  }
}

async function serveInThisProcess(workerIndex: string | undefined): Promise<void> {
  const trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);
  const server = await serveChronicle({
    port: Number(process.env.PORT ?? 3000),
    trustedProxies,
  });
  const who = workerIndex === undefined ? '' : `worker ${workerIndex} (pid ${process.pid}) `;
  log(
    trustedProxies.entries.length > 0
      ? `${who}listening on port ${server.port}; X-Forwarded-For is believed from ${trustedProxies.entries.join(', ')}`
      : `${who}listening on port ${server.port}; X-Forwarded-For is ignored (TRUSTED_PROXIES is not set)`,
  );
  onStopSignal((signal) => {
    void server.close().finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
  });
}

async function superviseWorkers(count: number): Promise<void> {
  log(`serving with ${count} worker processes (WEB_CONCURRENCY), sharing one command batcher`);
  // Structured clone on the IPC channel: commands and their results carry bigint and Date.
  cluster.setupPrimary({ serialization: 'advanced' });
  process.env[CLUSTERED_ENV] = 'on';
  process.env[SHARED_BATCHER_ENV] = 'on';
  // The per-user cap on live streams is counted here, for all the workers together.
  serveStreamSlots();
  process.env[SHARED_STREAM_SLOTS_ENV] = 'on';
  const [{ getCommandBatcher }, { getPool }] = await Promise.all([
    import('../lib/server/pipeline/command-batcher'),
    import('../lib/server/db/pool'),
  ]);
  serveWorkerCommands(getCommandBatcher(getPool()));
  let stopping = false;
  const earlyDeaths = new Map<number, number>();
  const startWorker = (index: number) => {
    const worker = cluster.fork({
      [WORKER_INDEX]: String(index),
      // Background jobs once per server: they take advisory locks, so more would only idle.
      ...(index === 0 ? {} : { CHRONICLE_BACKGROUND_JOBS: 'off' }),
    });
    const startedAt = Date.now();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      const early = Date.now() - startedAt < EARLY_DEATH_MS;
      const deaths = early ? (earlyDeaths.get(index) ?? 0) + 1 : 0;
      earlyDeaths.set(index, deaths);
      if (deaths >= EARLY_DEATHS_ALLOWED) {
        log(`worker ${index} keeps dying at start (${signal ?? `exit ${code}`}); stopping`);
        stopAll('SIGTERM', 1);
        return;
      }
      log(`worker ${index} ended (${signal ?? `exit ${code}`}); starting another`);
      setTimeout(() => startWorker(index), early ? 1_000 * deaths : 0);
    });
  };
  const stopAll = (signal: keyof typeof SIGNAL_EXIT_CODES, exitCode?: number) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined,
    );
    let left = workers.length;
    const done = () => process.exit(exitCode ?? SIGNAL_EXIT_CODES[signal]);
    if (left === 0) done();
    for (const worker of workers) {
      worker.once('exit', () => {
        left -= 1;
        if (left === 0) done();
      });
      worker.process.kill(signal);
    }
  };
  onStopSignal((signal) => stopAll(signal));
  for (let index = 0; index < count; index += 1) startWorker(index);
}

try {
  if (cluster.isPrimary) {
    // Which four-eyes policy is in force, said at start; a policy file that cannot be read or is
    // not valid stops the server here rather than leaving it to run without four eyes.
    log(describeApprovalPolicy(approvalPolicy()));
    parseTrustedProxies(process.env.TRUSTED_PROXIES);
    // A bad CHRONICLE_DISPUTE_DUE_DAYS stops the server here, not the first case opened later.
    dueDaysPolicy();
    const workers = webConcurrency(process.env.WEB_CONCURRENCY);
    if (workers > 1) await superviseWorkers(workers);
    else await serveInThisProcess(undefined);
  } else {
    await serveInThisProcess(process.env[WORKER_INDEX]);
  }
} catch (error) {
  reportFailure(error);
  process.exit(1);
}
