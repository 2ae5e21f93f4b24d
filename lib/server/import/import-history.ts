// The import path: records commands that happened in the past, each at its own occurredAt. Only
// seeding, migration from the old ledger and the benchmark use it; no route or server action may
// import this module (an ESLint rule enforces that). It takes the one write path (run-batch.ts):
// every command still goes through its decider, so imported history obeys the same rules as live
// history, and must arrive in time order for every stream it touches.
//
// Commands are applied in batches, one transaction per batch, so thousands of historical events
// cost a handful of round trips instead of one transaction each. A refused command fails the
// whole import of its batch: history is imported exactly, or not at all.

import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { LedgerCommand } from '../../ledger/commands';
import { getPool, withTransaction, type Pool } from '../db/pool';
import { getNotifier, notifyCommitted, type Notifier } from '../notifications/notifier';
import type { CommandJob } from '../pipeline/command-job';
import { requirementsOf } from '../../ledger/commands';
import { runBatch } from '../pipeline/run-batch';

export interface HistoricalCommand {
  readonly command: LedgerCommand;
  /** When it happened. Must not be earlier than the previous event of any aggregate it touches. */
  readonly occurredAt: Date;
  readonly actor?: string;
  /**
   * Ids for the events the command produces, in order, when the caller must know them in advance
   * (to reverse an imported charge later in the same import, or to keep an old ledger's ids).
   */
  readonly eventIds?: readonly string[];
}

export interface ImportSummary {
  readonly commandsApplied: number;
  readonly eventsWritten: number;
  readonly lastGlobalPosition: bigint | null;
}

const DEFAULT_BATCH_SIZE = 2_000;

export async function importHistory(options: {
  commands: Iterable<HistoricalCommand>;
  actor: string;
  batchSize?: number;
  db?: Pool;
  notifier?: Notifier;
  /** Told how many commands are written so far, after each batch (for a progress line). */
  onProgress?: (commandsApplied: number) => void;
}): Promise<ImportSummary> {
  const db = options.db ?? getPool();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let commandsApplied = 0;
  let eventsWritten = 0;
  let lastGlobalPosition: bigint | null = null;
  let batch: CommandJob[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const jobs = batch;
    batch = [];
    const outcomes = await withTransaction(db, async (tx) => {
      const settled = await runBatch(tx, jobs);
      const refused = settled.findIndex((outcome) => outcome.kind === 'refused');
      const refusal = settled[refused];
      if (refusal?.kind === 'refused') {
        const { code, message, fieldErrors } = refusal.error;
        throw new AppError(
          code,
          `Imported command ${commandsApplied + refused + 1} was refused: ${message}`,
          fieldErrors ? { fieldErrors } : {},
        );
      }
      return settled;
    });
    for (const outcome of outcomes) {
      if (outcome.kind !== 'executed') continue;
      eventsWritten += outcome.result.events.length;
      for (const event of outcome.result.events)
        if (lastGlobalPosition === null || event.globalPosition > lastGlobalPosition)
          lastGlobalPosition = event.globalPosition;
    }
    commandsApplied += jobs.length;
    options.onProgress?.(commandsApplied);
  };

  for (const item of options.commands) {
    // A command that reads the account's history (a correcting withdrawal) is decided in a batch
    // of its own, after everything before it is written.
    const readsHistory = (requirementsOf(item.command).lowestBalances ?? []).length > 0;
    if (readsHistory) await flush();
    batch.push({
      command: item.command,
      context: { actor: item.actor ?? options.actor, idempotencyKey: '', db },
      claim: null,
      correlationId: randomUUID(),
      occurredAt: item.occurredAt,
      ...(item.eventIds ? { eventIds: item.eventIds } : {}),
    });
    if (readsHistory || batch.length >= batchSize) await flush();
  }
  await flush();
  if (lastGlobalPosition !== null)
    notifyCommitted(options.notifier ?? getNotifier(), lastGlobalPosition);
  return { commandsApplied, eventsWritten, lastGlobalPosition };
}
