// Starts and wakes this process's integrity verifier (a worker thread, verifier-worker.ts).

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { superviseWorker } from '../workers/supervised-worker';

export const DEFAULT_VERIFY_INTERVAL_MS = 10_000;

export interface IntegrityVerifier {
  /** Asks the worker to run now instead of at its next interval (a full run was queued). */
  wake(): void;
  stop(): Promise<void>;
}

const globalForVerifier = globalThis as unknown as { chronicleVerifier?: IntegrityVerifier };

/** The verifier started in this process, if any. */
export function getIntegrityVerifier(): IntegrityVerifier | undefined {
  return globalForVerifier.chronicleVerifier;
}

/**
 * The worker runs Chronicle's TypeScript sources directly from the source tree (the working
 * directory of `npm start` and of the tests): the app's production bundle holds no worker. So it
 * first registers tsx — a dependency, as for every script — then loads the worker module. The
 * bootstrap is inline code rather than a file, so that the bundler has no file to pull into the
 * app.
 */
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then(({ register }) => {
  register();
  return import(workerData.module);
});
`;

/**
 * Starts the verifier worker, once per process, and keeps it running: a worker that fails or
 * exits is restarted with back-off, because a dead verifier would leave the integrity answer
 * frozen at its last pass (the status reports a frozen answer as stale, too).
 */
export function startIntegrityVerifier(options: {
  databaseUrl: string;
  intervalMs?: number;
}): IntegrityVerifier {
  const existing = globalForVerifier.chronicleVerifier;
  if (existing) return existing;
  const workerModule = path.join(process.cwd(), 'lib', 'server', 'integrity', 'verifier-worker.ts');
  const supervised = superviseWorker({
    name: 'integrity verifier',
    spawn: () => {
      const worker = new Worker(WORKER_BOOTSTRAP, {
        eval: true,
        workerData: {
          module: pathToFileURL(workerModule).href,
          databaseUrl: options.databaseUrl,
          intervalMs: options.intervalMs ?? DEFAULT_VERIFY_INTERVAL_MS,
        },
      });
      // The verifier must never keep a process alive that is otherwise done.
      worker.unref();
      return worker;
    },
  });
  const verifier: IntegrityVerifier = {
    wake: () => supervised.current().postMessage('wake'),
    stop: async () => {
      supervised.stopSupervising();
      delete globalForVerifier.chronicleVerifier;
      const worker = supervised.current();
      const exited = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      await exited;
      await worker.terminate();
    },
  };
  globalForVerifier.chronicleVerifier = verifier;
  return verifier;
}
