// Group commit. When commands arrive while a transaction is already running, they queue, and the
// next transaction takes them all (up to MAX_BATCH_SIZE): runBatch decides them one after another
// in arrival order — each against the state its predecessors left, exactly as if they had run one
// by one — and writes all their events, projections and idempotency keys at once. A command the
// rules refuse is refused alone; the others still commit. This module only decides who goes
// together; what a batch does is run-batch.ts.
//
// Under light load a batch holds one command, which runs alone (with its retries); under load
// many small transactions (and their commits) become a few larger ones.

import type { Pool } from '../db/pool';
import type { CommandJob } from './command-job';
import type { CommandResult } from './command-result';
import { claimId } from './idempotency';
import { runAlone, runTogether } from './run-commands';
import { sharedBatcherOr, type Batcher } from './shared-batcher';

/** The most commands one transaction takes. Bounds lock hold time and statement size. */
export const MAX_BATCH_SIZE = 64;

interface QueuedJob {
  readonly job: CommandJob;
  readonly resolve: (result: CommandResult) => void;
  readonly reject: (error: unknown) => void;
}

export class CommandBatcher implements Batcher {
  private readonly queue: QueuedJob[] = [];
  private isDraining = false;

  constructor(private readonly db: Pool) {}

  submit(job: CommandJob): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.isDraining) void this.drain();
    });
  }

  /**
   * One batch at a time: a second transaction in flight would mostly wait on the first one's
   * row locks, and take commands the first would have amortized.
   */
  private async drain(): Promise<void> {
    this.isDraining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        if (batch.length === 1) {
          const [only] = batch as [QueuedJob];
          await runAlone(only.job).then(only.resolve, only.reject);
        } else {
          const results = await runTogether(
            this.db,
            batch.map((queued) => queued.job),
          );
          for (const [index, result] of results.entries()) {
            const queued = batch[index] as QueuedJob;
            if (result.status === 'fulfilled') queued.resolve(result.value);
            else queued.reject(result.reason);
          }
        }
        // Let the callers answered by that batch submit their next commands first, so that they
        // join the next batch instead of waiting for the one after it.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.isDraining = false;
    }
  }

  /**
   * The oldest queued commands, at most one per idempotency key: a repeated key waits for the
   * next batch, where it finds the first request's stored answer.
   */
  private takeBatch(): QueuedJob[] {
    const batch: QueuedJob[] = [];
    const rest: QueuedJob[] = [];
    const keys = new Set<string>();
    for (const queued of this.queue) {
      const key = queued.job.claim ? claimId(queued.job.claim) : null;
      if (batch.length < MAX_BATCH_SIZE && (key === null || !keys.has(key))) {
        batch.push(queued);
        if (key !== null) keys.add(key);
      } else {
        rest.push(queued);
      }
    }
    this.queue.splice(0, this.queue.length, ...rest);
    return batch;
  }
}

const globalForBatchers = globalThis as unknown as {
  chronicleBatchers?: WeakMap<Pool, CommandBatcher>;
};

/**
 * The batcher for a pool: one per pool, shared by every caller in the process — and, in a worker
 * of a server with several, the supervisor's one batcher for all of them (./shared-batcher.ts).
 */
export function getCommandBatcher(db: Pool): Batcher {
  globalForBatchers.chronicleBatchers ??= new WeakMap();
  let batcher = globalForBatchers.chronicleBatchers.get(db);
  if (!batcher) {
    batcher = new CommandBatcher(db);
    globalForBatchers.chronicleBatchers.set(db, batcher);
  }
  return sharedBatcherOr(batcher);
}
