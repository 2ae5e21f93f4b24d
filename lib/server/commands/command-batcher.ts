// Group commit for ledger commands. When commands arrive while a transaction is already running,
// they queue, and the next transaction takes them all (up to MAX_BATCH_SIZE): it locks every
// account they touch, decides them one after another in arrival order — each against the state
// its predecessors left, exactly as if they had run one by one — and writes all their events,
// projections and idempotency keys at once. A command the rules refuse is refused alone; the
// others still commit. If anything goes wrong for the batch as a whole, nothing of it is written
// and each command runs again in a transaction of its own.
//
// Under light load a batch holds one command and this is the plain one-transaction path; under
// load it turns many small transactions (and their commits) into a few larger ones.

import { AppError } from '../../errors';
import type { OpenAccount } from '../../ledger/account';
import { accountsTouchedBy } from '../../ledger/commands';
import { decide, type LedgerState } from '../../ledger/decide';
import { applyEvents, sequenceDecidedEvents } from '../../ledger/replay';
import type { AccountEvent } from '../../ledger/account';
import { withTransaction, type Pool, type PoolClient } from '../db/pool';
import type { EventMetadata } from '../event-store/types';
import { uuidv7 } from '../ids';
import { getNotifier, notifyCommitted, type Notifier } from '../notifications/notifier';
import { toAccountView } from '../projections/account-view';
import { encodeCommandResult, type CommandResult } from './command-result';
import {
  accountsInCommandOrder,
  checkExpectedVersion,
  executeInOwnTransaction,
  replayStored,
  type CommandJob,
} from './run-command-alone';
import { claimId, storeRequests, type StoredRequest } from './idempotency';
import { findStoredKeys, loadCharges, lockAccounts, toLoadedState } from './load-ledger-state';
import { eventMetadata, recordEvents } from './record-events';

/** The most commands one transaction takes. Bounds lock hold time and statement size. */
export const MAX_BATCH_SIZE = 64;

interface QueuedJob {
  readonly job: CommandJob;
  readonly resolve: (result: CommandResult) => void;
  readonly reject: (error: unknown) => void;
}

type BatchOutcome =
  | { kind: 'executed'; result: CommandResult }
  | { kind: 'stored'; stored: StoredRequest }
  | { kind: 'refused'; error: AppError };

/** Raised inside a batch when another transaction committed one of its keys first. */
class BatchKeyConflict extends Error {}

export class CommandBatcher {
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
        await this.run(this.takeBatch());
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
      const key = claimId(queued.job.claim);
      if (batch.length < MAX_BATCH_SIZE && !keys.has(key)) {
        batch.push(queued);
        keys.add(key);
      } else {
        rest.push(queued);
      }
    }
    this.queue.splice(0, this.queue.length, ...rest);
    return batch;
  }

  private async run(batch: QueuedJob[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [QueuedJob];
      await executeInOwnTransaction(only.job).then(only.resolve, only.reject);
      return;
    }
    let outcomes: BatchOutcome[];
    try {
      outcomes = await withTransaction(this.db, (tx) =>
        decideBatch(
          tx,
          batch.map((queued) => queued.job),
        ),
      );
    } catch {
      // A lost race with another process, a key taken meanwhile, a failing insert: nothing of the
      // batch was written. Each command now runs alone, with its own retries and its own errors.
      for (const queued of batch)
        await executeInOwnTransaction(queued.job).then(queued.resolve, queued.reject);
      return;
    }
    const notifiers = new Map<Notifier, bigint>();
    for (const [index, outcome] of outcomes.entries()) {
      const queued = batch[index] as QueuedJob;
      if (outcome.kind === 'refused') queued.reject(outcome.error);
      else if (outcome.kind === 'stored') {
        try {
          queued.resolve(replayStored(queued.job.claim, outcome.stored));
        } catch (error) {
          queued.reject(error);
        }
      } else {
        queued.resolve(outcome.result);
        const last = outcome.result.events[outcome.result.events.length - 1];
        const notifier = queued.job.context.notifier ?? getNotifier();
        if (last && last.globalPosition > (notifiers.get(notifier) ?? 0n))
          notifiers.set(notifier, last.globalPosition);
      }
    }
    for (const [notifier, position] of notifiers) notifyCommitted(notifier, position);
  }
}

type Plan =
  | { kind: 'stored'; stored: StoredRequest }
  | { kind: 'refused'; error: AppError }
  | { kind: 'executed'; from: number; to: number; accounts: OpenAccount[] };

async function decideBatch(tx: PoolClient, jobs: CommandJob[]): Promise<BatchOutcome[]> {
  // Lock first, then look the keys up: see findStoredKeys for why the order matters.
  const rows = await lockAccounts(tx, [
    ...new Set(jobs.flatMap((job) => accountsTouchedBy(job.command))),
  ]);
  const storedRows = await findStoredKeys(
    tx,
    jobs.map((job) => job.claim),
  );
  const stored = new Map<string, StoredRequest>(
    storedRows.map((row) => [claimId(row), { requestHash: row.request_hash, result: row.result }]),
  );
  const charges = await loadCharges(
    tx,
    jobs.flatMap((job) =>
      job.command.type === 'reverse_charge' ? [job.command.originalEventId] : [],
    ),
  );
  const loaded = toLoadedState(rows, charges);

  let state: LedgerState = loaded.state;
  const applied: AccountEvent[] = [];
  const metadata: EventMetadata[] = [];
  const plans: Plan[] = [];
  for (const job of jobs) {
    const earlier = stored.get(claimId(job.claim));
    if (earlier) {
      plans.push({ kind: 'stored', stored: earlier });
      continue;
    }
    try {
      checkExpectedVersion(job.command, job.context, state);
      const decided = decide(job.command, state, loaded.now);
      const events = sequenceDecidedEvents(
        state,
        decided,
        decided.map(() => uuidv7(loaded.now.getTime())),
      );
      state = applyEvents(state, events);
      plans.push({
        kind: 'executed',
        from: applied.length,
        to: applied.length + events.length,
        accounts: accountsInCommandOrder(job.command).map(
          (accountId) => state.accounts.get(accountId) as OpenAccount,
        ),
      });
      applied.push(...events);
      metadata.push(...decided.map((item) => eventMetadata(job.context, job.correlationId, item)));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      plans.push({ kind: 'refused', error });
    }
  }

  const { recorded } = applied.length
    ? await recordEvents(tx, {
        before: loaded.state,
        heads: loaded.heads,
        events: { applied, metadata },
      })
    : { recorded: [] };
  const updatedAt = recorded[0]?.recordedAt ?? loaded.now;
  const outcomes: BatchOutcome[] = [];
  const toStore: Array<{ claim: CommandJob['claim']; result: unknown }> = [];
  for (const [index, plan] of plans.entries()) {
    if (plan.kind !== 'executed') {
      outcomes.push(plan);
      continue;
    }
    const result = {
      events: recorded.slice(plan.from, plan.to),
      accounts: plan.accounts.map((account) => toAccountView(account, updatedAt)),
    };
    outcomes.push({ kind: 'executed', result: { ...result, replayed: false } });
    toStore.push({ claim: (jobs[index] as CommandJob).claim, result: encodeCommandResult(result) });
  }
  if (!(await storeRequests(tx, toStore))) throw new BatchKeyConflict();
  return outcomes;
}

const globalForBatchers = globalThis as unknown as {
  chronicleBatchers?: WeakMap<Pool, CommandBatcher>;
};

/** The batcher for a pool: one per pool, shared by every caller in the process. */
export function getCommandBatcher(db: Pool): CommandBatcher {
  globalForBatchers.chronicleBatchers ??= new WeakMap();
  let batcher = globalForBatchers.chronicleBatchers.get(db);
  if (!batcher) {
    batcher = new CommandBatcher(db);
    globalForBatchers.chronicleBatchers.set(db, batcher);
  }
  return batcher;
}
