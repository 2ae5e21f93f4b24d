// Starts and wakes this process's integrity verifier (a worker thread, verifier-worker.ts).

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorMessage, logLine } from '../log';

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

/** Starts the verifier worker, once per process. */
export function startIntegrityVerifier(options: {
  databaseUrl: string;
  intervalMs?: number;
}): IntegrityVerifier {
  const existing = globalForVerifier.chronicleVerifier;
  if (existing) return existing;
  const workerModule = path.join(process.cwd(), 'lib', 'server', 'integrity', 'verifier-worker.ts');
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
  worker.on('error', (error) => {
    logLine('error', 'integrity verifier stopped', { error: errorMessage(error) });
    delete globalForVerifier.chronicleVerifier;
  });
  const verifier: IntegrityVerifier = {
    wake: () => worker.postMessage('wake'),
    stop: async () => {
      delete globalForVerifier.chronicleVerifier;
      const stopped = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
  globalForVerifier.chronicleVerifier = verifier;
  return verifier;
}
