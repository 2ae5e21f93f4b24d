// Keeps a worker thread running: one that fails or exits is started again after a back-off, so a
// crash in background work (an unexpected exception, a dependency's bug) does not silently leave
// that work undone until the process restarts.

import type { Worker } from 'node:worker_threads';
import { errorMessage, logLine } from '../log';

export interface SupervisedWorker {
  /** The worker running now (a new one after each restart). */
  current(): Worker;
  /** How many times the worker has been restarted. */
  restarts(): number;
  /** Stops restarting; the caller then ends the current worker its own way. */
  stopSupervising(): void;
}

export interface RestartPolicy {
  /** The first restart waits this long; each one after a short run waits twice as long. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A worker that ran this long before it died restarts after the initial delay again. */
  readonly healthyRunMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  healthyRunMs: 60_000,
};

export function superviseWorker(options: {
  name: string;
  spawn: () => Worker;
  policy?: RestartPolicy;
}): SupervisedWorker {
  const policy = options.policy ?? DEFAULT_RESTART_POLICY;
  let supervising = true;
  let restarts = 0;
  let delay = policy.initialDelayMs;
  let timer: NodeJS.Timeout | undefined;

  const start = (): Worker => {
    const startedAt = Date.now();
    const worker = options.spawn();
    worker.on('error', (error) => {
      logLine('error', `${options.name} failed`, { error: errorMessage(error) });
    });
    worker.on('exit', (code) => {
      if (!supervising) return;
      if (Date.now() - startedAt >= policy.healthyRunMs) delay = policy.initialDelayMs;
      logLine('warn', `${options.name} exited; restarting`, { code, inMs: delay });
      timer = setTimeout(() => {
        timer = undefined;
        if (!supervising) return;
        restarts += 1;
        current = start();
      }, delay);
      // A pending restart must never keep a process alive that is otherwise done.
      timer.unref();
      delay = Math.min(delay * 2, policy.maxDelayMs);
    });
    return worker;
  };
  let current = start();

  return {
    current: () => current,
    restarts: () => restarts,
    stopSupervising: () => {
      supervising = false;
      if (timer) clearTimeout(timer);
    },
  };
}
