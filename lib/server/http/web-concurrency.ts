// How many worker processes serve HTTP: WEB_CONCURRENCY, or one per core. One Node.js process
// does all of its JavaScript on one core — parsing, authenticating, rendering, serialising — so a
// single process leaves the other cores to PostgreSQL alone; one worker per core uses them all.

import { availableParallelism } from 'node:os';

/** More workers than this would only multiply memory and database connections. */
export const MAX_WEB_CONCURRENCY = 64;

export function webConcurrency(
  value: string | undefined,
  cores: number = availableParallelism(),
): number {
  if (value === undefined || value.trim() === '') return Math.max(1, cores);
  const trimmed = value.trim();
  const count = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_WEB_CONCURRENCY)
    throw new Error(
      `WEB_CONCURRENCY must be a whole number of worker processes from 1 to ${MAX_WEB_CONCURRENCY}, not "${value}".`,
    );
  return count;
}

/** Set (to "on") in the supervisor and every worker of a server that runs several workers. */
export const CLUSTERED_ENV = 'CHRONICLE_CLUSTERED';
