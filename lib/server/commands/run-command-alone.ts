// One command in one transaction of its own: lock and load, decide, record, store the key, with
// bounded retries when another writer got there first. The batcher falls back to this path too.

import { AppError } from '../../errors';
import type { OpenAccount } from '../../ledger/account';
import { accountsTouchedBy, type LedgerCommand } from '../../ledger/commands';
import { decide } from '../../ledger/decide';
import { accountStreamId } from '../../ledger/events';
import { sequenceDecidedEvents } from '../../ledger/replay';
import { getPool, namedStatement, sqlState, withTransaction, type PoolClient } from '../db/pool';
import { ConcurrencyError } from '../event-store/errors';
import { uuidv7 } from '../ids';
import { getNotifier, notifyCommitted } from '../notifications/notifier';
import { ACCOUNT_COLUMNS, toAccountView } from '../projections/account-view';
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
import { loadCharges, toLoadedState, type LockedRow } from './load-ledger-state';
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
  currentVersion: (accountId: string) => number,
): void {
  if (context.expectedVersion === undefined || command.type === 'transfer') return;
  const current = currentVersion(command.accountId);
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

const lockAccountsWithKey = namedStatement<
  LockedRow & { stored: { request_hash: string; result: unknown } | null }
>(
  'lock_accounts',
  // One statement: the earlier answer for this idempotency key, if any; the touched accounts,
  // locked in a fixed order (so two transfers between the same pair in opposite directions cannot
  // deadlock); and the database clock. The outer join returns one row even when no account
  // exists yet (opening one).
  `WITH stored AS (
     SELECT json_build_object('request_hash', request_hash, 'result', result) AS stored
       FROM idempotency_keys WHERE scope = $2 AND key = $3
   ), locked AS (
     SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE
   )
   SELECT locked.*, date_trunc('milliseconds', clock_timestamp()) AS now, (SELECT stored FROM stored) AS stored
     FROM (SELECT 1) AS one LEFT JOIN locked ON true`,
);

async function runOnce(tx: PoolClient, job: CommandJob): Promise<Outcome> {
  const { command, context, claim } = job;
  const rows = (await lockAccountsWithKey(tx, [accountsTouchedBy(command), claim.scope, claim.key]))
    .rows;
  const first = rows[0];
  if (first?.stored)
    return {
      kind: 'stored',
      stored: { requestHash: first.stored.request_hash, result: first.stored.result },
    };
  const charges = await loadCharges(
    tx,
    command.type === 'reverse_charge' ? [command.originalEventId] : [],
  );
  const { state, heads, now } = toLoadedState(rows, charges);
  checkExpectedVersion(
    command,
    context,
    (accountId) => state.accounts.get(accountId)?.version ?? 0,
  );

  let decided;
  try {
    decided = decide(command, state, now);
  } catch (error) {
    // The key lookup above may predate a duplicate of this request that committed while we
    // waited for the account locks; its stored answer beats a refusal based on its own effect.
    const stored = error instanceof AppError ? await findStoredRequest(tx, claim) : null;
    if (stored) return { kind: 'stored', stored };
    throw error;
  }
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
