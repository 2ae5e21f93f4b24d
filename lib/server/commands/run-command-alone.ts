// One command in one transaction of its own: lock and load, decide, record, store the key, with
// bounded retries when another writer got there first. The batcher falls back to this path too.

import { AppError } from '../../errors';
import type { OpenAccount } from '../../ledger/account';
import { accountsTouchedBy, type LedgerCommand } from '../../ledger/commands';
import { decide, type LedgerState } from '../../ledger/decide';
import { accountStreamId } from '../../ledger/events';
import { sequenceDecidedEvents } from '../../ledger/replay';
import { getPool, sqlState, withTransaction, type PoolClient } from '../db/pool';
import { ConcurrencyError } from '../event-store/errors';
import { uuidv7 } from '../ids';
import { getNotifier, notifyCommitted } from '../notifications/notifier';
import { toAccountView } from '../projections/account-view';
import {
  decodeCommandResult,
  encodeCommandResult,
  type CommandResult,
  type EncodedCommandResult,
} from './command-result';
import type { CommandContext } from './execute-command';
import {
  findStoredRequest,
  storeRequest,
  storedResultFor,
  type IdempotencyClaim,
  type StoredRequest,
} from './idempotency';
import { findStoredKeys, loadCharges, lockAccounts, toLoadedState } from './load-ledger-state';
import { eventMetadata, recordEvents } from './record-events';

/** A command ready to run: validated key, request fingerprint, correlation id. */
export interface CommandJob {
  readonly command: LedgerCommand;
  readonly context: CommandContext;
  readonly claim: IdempotencyClaim;
  readonly correlationId: string;
}

/** Attempts before a command that keeps losing races gives up with concurrency_conflict. */
export const MAX_COMMAND_ATTEMPTS = 8;
const RETRY_BASE_DELAY_MS = 4;

/** Raised inside the transaction when another request committed the same key first. */
class KeyTakenMeanwhile extends Error {}

type Outcome =
  { kind: 'executed'; result: CommandResult } | { kind: 'stored'; stored: StoredRequest };

/** The stored answer to an earlier request with the same key, as this request's answer. */
export function replayStored(claim: IdempotencyClaim, stored: StoredRequest): CommandResult {
  const encoded = storedResultFor(claim, stored) as EncodedCommandResult;
  return { ...decodeCommandResult(encoded), replayed: true };
}

/** Runs one command in a transaction of its own, retrying lost races from fresh state. */
export async function executeInOwnTransaction(job: CommandJob): Promise<CommandResult> {
  const db = job.context.db ?? getPool();
  for (let attempt = 1; ; attempt += 1) {
    let outcome: Outcome;
    try {
      outcome = await withTransaction(db, (tx) => runOnce(tx, job));
    } catch (error) {
      if (error instanceof KeyTakenMeanwhile) {
        const stored = await findStoredRequest(db, job.claim);
        if (!stored)
          throw new AppError(
            'concurrency_conflict',
            'The same request is still being processed; retry shortly.',
          );
        outcome = { kind: 'stored', stored };
      } else {
        if (!isRetryable(error, job.context) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
        // Full jitter, growing with each attempt, so that colliding writers spread out.
        await sleep(Math.random() * RETRY_BASE_DELAY_MS * 2 ** Math.min(attempt, 6));
        continue;
      }
    }
    if (outcome.kind === 'stored') return replayStored(job.claim, outcome.stored);
    const last = outcome.result.events[outcome.result.events.length - 1];
    if (last) notifyCommitted(job.context.notifier ?? getNotifier(), last.globalPosition);
    return outcome.result;
  }
}

export function isRetryable(error: unknown, context: CommandContext): boolean {
  if (error instanceof ConcurrencyError) return context.expectedVersion === undefined;
  const state = sqlState(error);
  // serialization_failure, deadlock_detected: PostgreSQL's own "try again".
  return state === '40001' || state === '40P01';
}

/** Refuses a command whose If-Match version is not the account's current one. */
export function checkExpectedVersion(
  command: LedgerCommand,
  context: CommandContext,
  state: LedgerState,
): void {
  if (context.expectedVersion === undefined || command.type === 'transfer') return;
  const current = state.accounts.get(command.accountId)?.version ?? 0;
  if (current !== context.expectedVersion) {
    throw new ConcurrencyError(
      accountStreamId(command.accountId),
      context.expectedVersion,
      current,
    );
  }
}

/** The accounts a command's result shows, in the order the command names them. */
export function accountsInCommandOrder(command: LedgerCommand): string[] {
  return command.type === 'transfer'
    ? [command.fromAccountId, command.toAccountId]
    : [command.accountId];
}

async function runOnce(tx: PoolClient, job: CommandJob): Promise<Outcome> {
  const { command, context, claim } = job;
  // Lock first, then look the key up: see findStoredKeys for why the order matters.
  const rows = await lockAccounts(tx, accountsTouchedBy(command));
  const earlier = (await findStoredKeys(tx, [claim]))[0];
  if (earlier)
    return {
      kind: 'stored',
      stored: { requestHash: earlier.request_hash, result: earlier.result },
    };
  const charges = await loadCharges(
    tx,
    command.type === 'reverse_charge' ? [command.originalEventId] : [],
  );
  const { state, heads, now } = toLoadedState(rows, charges);
  checkExpectedVersion(command, context, state);
  const decided = decide(command, state, now);
  const applied = sequenceDecidedEvents(
    state,
    decided,
    decided.map(() => uuidv7(now.getTime())),
  );
  const { recorded, after } = await recordEvents(tx, {
    before: state,
    heads,
    events: {
      applied,
      metadata: decided.map((item) => eventMetadata(context, job.correlationId, item)),
    },
  });
  const updatedAt = recorded[0]?.recordedAt ?? now;
  const accounts = accountsInCommandOrder(command).map((accountId) =>
    toAccountView(after.accounts.get(accountId) as OpenAccount, updatedAt),
  );
  const result = { events: recorded, accounts };
  if (!(await storeRequest(tx, claim, encodeCommandResult(result)))) throw new KeyTakenMeanwhile();
  return { kind: 'executed', result: { ...result, replayed: false } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
