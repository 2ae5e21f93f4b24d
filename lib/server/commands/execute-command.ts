// The one path every ledger command takes: lock and load the accounts it touches, decide,
// append the events, update the projections and store the idempotency key — all in one
// transaction — then wake up readers. On a concurrency conflict the whole thing is retried from
// fresh state (bounded, with jitter), so the rules are always checked against what is current.

import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { AccountState, ChargeState, OpenAccount } from '../../ledger/account';
import { accountsTouchedBy, type LedgerCommand } from '../../ledger/commands';
import { decide, type LedgerState } from '../../ledger/decide';
import { accountStreamId, encodeEventData } from '../../ledger/events';
import { sequenceDecidedEvents } from '../../ledger/replay';
import {
  getPool,
  namedStatement,
  sqlState,
  withTransaction,
  type Pool,
  type PoolClient,
} from '../db/pool';
import { appendToStreams } from '../event-store/append-to-streams';
import { ConcurrencyError } from '../event-store/errors';
import type { EventMetadata, NewEvent, StreamHead } from '../event-store/types';
import { uuidv7 } from '../ids';
import { getNotifier, notifyCommitted, type Notifier } from '../notifications/notifier';
import {
  ACCOUNT_COLUMNS,
  accountRowToState,
  toAccountView,
  type AccountRow,
} from '../projections/account-view';
import { writeAccountProjections } from '../projections/write-account-projections';
import {
  decodeCommandResult,
  encodeCommandResult,
  type CommandResult,
  type EncodedCommandResult,
} from './command-result';
import {
  assertIdempotencyKey,
  findStoredRequest,
  requestFingerprint,
  storeRequest,
  storedResultFor,
  type IdempotencyClaim,
  type StoredRequest,
} from './idempotency';
import { UUID_PATTERN } from '../../ledger/limits';

export interface CommandContext {
  /** Who is acting: `user:<id>`, `api_key:<id>`, `system:<job>`. Also the idempotency scope. */
  readonly actor: string;
  readonly idempotencyKey: string;
  readonly correlationId?: string;
  readonly requestId?: string;
  /** When set (HTTP If-Match), the command's account must be at exactly this version. */
  readonly expectedVersion?: number;
  readonly db?: Pool;
  readonly notifier?: Notifier;
}

/** Attempts before a command that keeps losing races gives up with concurrency_conflict. */
export const MAX_COMMAND_ATTEMPTS = 8;
const RETRY_BASE_DELAY_MS = 4;

/** Raised inside the transaction when another request committed the same key first. */
class KeyTakenMeanwhile extends Error {}

type Outcome =
  { kind: 'executed'; result: CommandResult } | { kind: 'stored'; stored: StoredRequest };

/**
 * Runs `command`. `requestInput` is what the caller sent, before any ids were generated for it:
 * its fingerprint decides whether a repeated idempotency key is a retry or a different request.
 */
export async function executeCommand(options: {
  command: LedgerCommand;
  context: CommandContext;
  requestInput: unknown;
}): Promise<CommandResult> {
  const { command, context } = options;
  assertIdempotencyKey(context.idempotencyKey);
  const db = context.db ?? getPool();
  const claim: IdempotencyClaim = {
    scope: context.actor,
    key: context.idempotencyKey,
    requestHash: requestFingerprint(command.type, options.requestInput),
  };
  const correlationId = context.correlationId ?? randomUUID();

  for (let attempt = 1; ; attempt += 1) {
    let outcome: Outcome;
    try {
      outcome = await withTransaction(db, (tx) =>
        runOnce(tx, command, context, claim, correlationId),
      );
    } catch (error) {
      if (error instanceof KeyTakenMeanwhile) {
        const stored = await findStoredRequest(db, claim);
        if (!stored)
          throw new AppError(
            'concurrency_conflict',
            'The same request is still being processed; retry shortly.',
          );
        outcome = { kind: 'stored', stored };
      } else {
        if (!isRetryable(error, context) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
        // Full jitter, growing with each attempt, so that colliding writers spread out.
        await sleep(Math.random() * RETRY_BASE_DELAY_MS * 2 ** Math.min(attempt, 6));
        continue;
      }
    }
    if (outcome.kind === 'stored') {
      const encoded = storedResultFor(claim, outcome.stored) as EncodedCommandResult;
      return { ...decodeCommandResult(encoded), replayed: true };
    }
    const last = outcome.result.events[outcome.result.events.length - 1];
    if (last) notifyCommitted(context.notifier ?? getNotifier(), last.globalPosition);
    return outcome.result;
  }
}

function isRetryable(error: unknown, context: CommandContext): boolean {
  if (error instanceof ConcurrencyError) return context.expectedVersion === undefined;
  const state = sqlState(error);
  // serialization_failure, deadlock_detected: PostgreSQL's own "try again".
  return state === '40001' || state === '40P01';
}

async function runOnce(
  tx: PoolClient,
  command: LedgerCommand,
  context: CommandContext,
  claim: IdempotencyClaim,
  correlationId: string,
): Promise<Outcome> {
  const loaded = await lockAndLoad(tx, command, claim);
  if (loaded.stored) return { kind: 'stored', stored: loaded.stored };
  const { state, heads, now } = loaded;
  if (context.expectedVersion !== undefined && command.type !== 'transfer') {
    const current = state.accounts.get(command.accountId)?.version ?? 0;
    if (current !== context.expectedVersion) {
      throw new ConcurrencyError(
        accountStreamId(command.accountId),
        context.expectedVersion,
        current,
      );
    }
  }

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
  const byAccount = new Map<string, NewEvent[]>();
  for (const [index, item] of applied.entries()) {
    const causationId = decided[index]?.causationId;
    const metadata: EventMetadata = {
      actor: context.actor,
      correlationId,
      ...(causationId ? { causationId } : {}),
      idempotencyKey: context.idempotencyKey,
      ...(context.requestId ? { requestId: context.requestId } : {}),
    };
    const list = byAccount.get(item.accountId) ?? [];
    list.push({
      eventId: item.eventId,
      type: item.event.type,
      schemaVersion: item.event.schemaVersion,
      data: encodeEventData(item.event),
      metadata,
      occurredAt: item.occurredAt,
    });
    byAccount.set(item.accountId, list);
  }
  const recorded = await appendToStreams(
    tx,
    [...byAccount].map(([accountId, events]) => {
      const head = heads.get(accountId);
      return {
        streamId: accountStreamId(accountId),
        expectedVersion: state.accounts.get(accountId)?.version ?? 0,
        events,
        ...(head ? { knownHead: head } : {}),
      };
    }),
  );
  const stored = new Map(recorded.map((event) => [event.eventId, event]));
  const after = await writeAccountProjections(tx, {
    before: state,
    events: applied.map((item) => {
      const event = stored.get(item.eventId);
      if (!event) throw new Error(`event ${item.eventId} was not recorded`);
      return { ...item, globalPosition: event.globalPosition, hash: event.hash };
    }),
  });

  const updatedAt = recorded[0]?.recordedAt ?? now;
  const accounts = accountsInCommandOrder(command).map((accountId) =>
    toAccountView(after.accounts.get(accountId) as OpenAccount, updatedAt),
  );
  const result = { events: recorded, accounts };
  if (!(await storeRequest(tx, claim, encodeCommandResult(result)))) throw new KeyTakenMeanwhile();
  return { kind: 'executed', result: { ...result, replayed: false } };
}

const lockAccounts = namedStatement<
  AccountRow & { now: Date; stored: { request_hash: string; result: unknown } | null }
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

const selectCharge = namedStatement<{
  event_id: string;
  account_id: string;
  amount_minor: string;
  reversed_minor: string;
}>(
  'select_charge',
  `SELECT event_id::text AS event_id, account_id, amount_minor::text AS amount_minor, reversed_minor::text AS reversed_minor
     FROM charges WHERE event_id = $1::uuid`,
);

async function lockAndLoad(
  tx: PoolClient,
  command: LedgerCommand,
  claim: IdempotencyClaim,
): Promise<{
  state: LedgerState;
  heads: Map<string, StreamHead>;
  now: Date;
  stored: StoredRequest | null;
}> {
  const rows = (await lockAccounts(tx, [accountsTouchedBy(command), claim.scope, claim.key])).rows;
  const first = rows[0];
  const stored = first?.stored
    ? { requestHash: first.stored.request_hash, result: first.stored.result }
    : null;
  let now = first?.now as Date;
  const accounts = new Map<string, AccountState>();
  const heads = new Map<string, StreamHead>();
  for (const row of rows) {
    if (row.id === null) continue;
    const account = accountRowToState(row);
    accounts.set(row.id, account);
    heads.set(row.id, {
      version: account.version,
      hash: row.last_event_hash,
      occurredAt: account.lastOccurredAt,
    });
    // Time never runs backwards inside a stream, even if the database clock is stepped back.
    if (account.lastOccurredAt.getTime() > now.getTime()) now = account.lastOccurredAt;
  }
  const charges = new Map<string, ChargeState>();
  if (command.type === 'reverse_charge' && UUID_PATTERN.test(command.originalEventId)) {
    // Read after the lock, in a statement of its own, so it sees reversals that committed while
    // this transaction waited for the account.
    const row = (await selectCharge(tx, [command.originalEventId])).rows[0];
    if (row) {
      charges.set(row.event_id, {
        eventId: row.event_id,
        accountId: row.account_id,
        amountMinor: BigInt(row.amount_minor),
        reversedMinor: BigInt(row.reversed_minor),
      });
    }
  }
  return { state: { accounts, charges }, heads, now, stored };
}

function accountsInCommandOrder(command: LedgerCommand): string[] {
  return command.type === 'transfer'
    ? [command.fromAccountId, command.toAccountId]
    : [command.accountId];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
