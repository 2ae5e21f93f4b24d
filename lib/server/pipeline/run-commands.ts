// Running batches: a command alone is a batch of one, retried from fresh state when it loses a race
// (bounded, with jitter); a batch that fails as a whole has each of its commands run alone. Both
// go through runBatch, the one implementation of the write path.

import { AppError } from '../../errors';
import { getPool, sqlState, withTransaction, type Pool } from '../db/pool';
import { ConcurrencyError } from '../event-store/event-store-errors';
import { getNotifier, notifyCommitted, type Notifier } from '../notifications/notifier';
import type { CommandJob } from './command-job';
import {
  decodeCommandResult,
  type CommandResult,
  type EncodedCommandResult,
} from './command-result';
import {
  findStoredRequest,
  storedResultFor,
  type IdempotencyClaim,
  type StoredRequest,
} from './idempotency';
import { IdempotencyKeyTaken, runBatch, type JobOutcome } from './run-batch';

/** Attempts before a command that keeps losing races gives up with concurrency_conflict. */
export const MAX_COMMAND_ATTEMPTS = 8;
const RETRY_BASE_DELAY_MS = 4;

/** Runs one command in a transaction of its own, retrying lost races from fresh state. */
export async function runAlone(job: CommandJob): Promise<CommandResult> {
  const db = job.context.db ?? getPool();
  for (let attempt = 1; ; attempt += 1) {
    let outcome: JobOutcome;
    try {
      [outcome] = (await withTransaction(db, async (tx) => {
        const outcomes = await runBatch(tx, [job]);
        const [only] = outcomes;
        if (job.alongside && only?.kind === 'executed') await job.alongside(tx, only.result);
        return outcomes;
      })) as [JobOutcome];
    } catch (error) {
      if (error instanceof IdempotencyKeyTaken && job.claim) {
        const stored = await findStoredRequest(db, job.claim);
        if (!stored)
          throw new AppError(
            'concurrency_conflict',
            'The same request is still being processed; retry shortly.',
          );
        return replayStored(job.claim, stored);
      }
      if (!isRetryable(error, job) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
      // Full jitter, growing with each attempt, so that colliding writers spread out.
      await sleep(Math.random() * RETRY_BASE_DELAY_MS * 2 ** Math.min(attempt, 6));
      continue;
    }
    return settle(job, outcome);
  }
}

/**
 * Runs commands that arrived together in one transaction. If the batch fails as a whole (a lost
 * race with another process, a key taken meanwhile), nothing of it was written and each command
 * runs alone, with its own retries and its own answer.
 */
export async function runTogether(
  db: Pool,
  jobs: readonly CommandJob[],
): Promise<Array<PromiseSettledResult<CommandResult>>> {
  let outcomes: JobOutcome[];
  try {
    outcomes = await withTransaction(db, (tx) => runBatch(tx, jobs));
  } catch {
    const results: Array<PromiseSettledResult<CommandResult>> = [];
    for (const job of jobs) results.push(await settleLater(runAlone(job)));
    return results;
  }
  const positions = new Map<Notifier, bigint>();
  const results = outcomes.map((outcome, index) => {
    const job = jobs[index] as CommandJob;
    const settled = settleNow(() => settle(job, outcome, { notify: false }));
    const last = outcome.kind === 'executed' ? outcome.result.events.at(-1) : undefined;
    const notifier = job.context.notifier ?? getNotifier();
    if (last && last.globalPosition > (positions.get(notifier) ?? 0n))
      positions.set(notifier, last.globalPosition);
    return settled;
  });
  for (const [notifier, position] of positions) notifyCommitted(notifier, position);
  return results;
}

/** A command's answer from its outcome: its result, a stored answer, or its refusal. */
function settle(job: CommandJob, outcome: JobOutcome, options = { notify: true }): CommandResult {
  switch (outcome.kind) {
    case 'refused':
      throw outcome.error;
    case 'stored':
      return replayStored(job.claim as IdempotencyClaim, outcome.stored);
    case 'executed': {
      const last = outcome.result.events.at(-1);
      if (last && options.notify)
        notifyCommitted(job.context.notifier ?? getNotifier(), last.globalPosition);
      return outcome.result;
    }
  }
}

/** The stored answer to an earlier request with the same key, as this request's answer. */
function replayStored(claim: IdempotencyClaim, stored: StoredRequest): CommandResult {
  const encoded = storedResultFor(claim, stored) as EncodedCommandResult;
  return { ...decodeCommandResult(encoded), replayed: true };
}

function isRetryable(error: unknown, job: CommandJob): boolean {
  if (error instanceof ConcurrencyError) return job.context.expectedVersion === undefined;
  const state = sqlState(error);
  // serialization_failure, deadlock_detected: PostgreSQL's own "try again".
  return state === '40001' || state === '40P01';
}

function settleNow<T>(work: () => T): PromiseSettledResult<T> {
  try {
    return { status: 'fulfilled', value: work() };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

async function settleLater<T>(work: Promise<T>): Promise<PromiseSettledResult<T>> {
  try {
    return { status: 'fulfilled', value: await work };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
