// The one path every ledger command takes: claim the idempotency key, lock and load the
// accounts it touches, decide, append the events and update the projections — all in one
// transaction — then wake up readers. On a concurrency conflict the whole thing is retried from
// fresh state (bounded, with jitter), so the rules are always checked against what is current.

import { randomUUID } from 'node:crypto';
import type { ChargeState, OpenAccount } from '../../ledger/account';
import { accountsTouchedBy, type LedgerCommand } from '../../ledger/commands';
import { decide, type LedgerState } from '../../ledger/decide';
import { accountStreamId, encodeEventData } from '../../ledger/events';
import { sequenceDecidedEvents } from '../../ledger/replay';
import { getPool, sqlState, withTransaction, type Pool, type PoolClient } from '../db/pool';
import { appendToStreams } from '../event-store/append-to-streams';
import { ConcurrencyError } from '../event-store/errors';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store/types';
import { uuidv7 } from '../ids';
import { getNotifier, notifyCommitted, type Notifier } from '../notifications/notifier';
import { ACCOUNT_COLUMNS, accountRowToState, toAccountView, type AccountRow } from '../projections/account-view';
import { writeAccountProjections } from '../projections/write-account-projections';
import { decodeCommandResult, encodeCommandResult, type CommandResult, type EncodedCommandResult } from './command-result';
import { assertIdempotencyKey, claimIdempotencyKey, requestFingerprint, storeIdempotentResult } from './idempotency';

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
  const requestHash = requestFingerprint(command.type, options.requestInput);
  const db = context.db ?? getPool();
  const correlationId = context.correlationId ?? randomUUID();

  for (let attempt = 1; ; attempt += 1) {
    try {
      const outcome = await withTransaction(db, (tx) => runOnce(tx, command, context, { correlationId, requestHash }));
      if (!outcome.replayed) {
        const last = outcome.events[outcome.events.length - 1];
        if (last) notifyCommitted(context.notifier ?? getNotifier(), last.globalPosition);
      }
      return outcome;
    } catch (error) {
      if (!isRetryable(error, context) || attempt >= MAX_COMMAND_ATTEMPTS) throw error;
      // Full jitter, growing with each attempt, so that colliding writers spread out.
      await sleep(Math.random() * RETRY_BASE_DELAY_MS * 2 ** Math.min(attempt, 6));
    }
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
  request: { correlationId: string; requestHash: string },
): Promise<CommandResult> {
  const { correlationId } = request;
  const claim = { scope: context.actor, key: context.idempotencyKey, requestHash: request.requestHash };
  const claimed = await claimIdempotencyKey(tx, claim);
  if (claimed.status === 'replay') {
    return { ...decodeCommandResult(claimed.result as EncodedCommandResult), replayed: true };
  }

  const { state, now } = await lockAndLoad(tx, command);
  if (context.expectedVersion !== undefined && command.type !== 'transfer') {
    const current = state.accounts.get(command.accountId)?.version ?? 0;
    if (current !== context.expectedVersion) {
      throw new ConcurrencyError(accountStreamId(command.accountId), context.expectedVersion, current);
    }
  }

  const decided = decide(command, state, now);
  const applied = sequenceDecidedEvents(state, decided, decided.map(() => uuidv7(now.getTime())));
  const byAccount = new Map<string, NewEvent[]>();
  for (const [index, item] of applied.entries()) {
    const metadata: EventMetadata = {
      actor: context.actor,
      correlationId,
      ...(decided[index]?.causationId ? { causationId: decided[index]?.causationId } : {}),
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
    [...byAccount].map(([accountId, events]) => ({
      streamId: accountStreamId(accountId),
      expectedVersion: state.accounts.get(accountId)?.version ?? 0,
      events,
    })),
  );
  const positions = new Map(recorded.map((event) => [event.eventId, event.globalPosition]));
  const after = await writeAccountProjections(tx, {
    before: state,
    events: applied.map((item) => ({ ...item, globalPosition: positions.get(item.eventId) as bigint })),
  });

  const ordered = orderByStreamPosition(recorded);
  const updatedAt = ordered[0]?.recordedAt ?? now;
  const accounts = accountsTouchedInCommandOrder(command).map((accountId) =>
    toAccountView(after.accounts.get(accountId) as OpenAccount, updatedAt),
  );
  const result = { events: ordered, accounts };
  await storeIdempotentResult(tx, claim, encodeCommandResult(result));
  return { ...result, replayed: false };
}

/**
 * Locks the touched accounts' projection rows in id order (so two transfers between the same
 * pair in opposite directions cannot deadlock) and reads them, with the database's clock.
 */
async function lockAndLoad(tx: PoolClient, command: LedgerCommand): Promise<{ state: LedgerState; now: Date }> {
  const accountIds = accountsTouchedBy(command);
  const rows = await tx.query<AccountRow & { now: Date }>(
    `SELECT ${ACCOUNT_COLUMNS}, date_trunc('milliseconds', clock_timestamp()) AS now
       FROM accounts WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE`,
    [accountIds],
  );
  let now = rows.rows[0]?.now;
  if (!now) {
    const clock = await tx.query<{ now: Date }>("SELECT date_trunc('milliseconds', clock_timestamp()) AS now");
    now = clock.rows[0]?.now as Date;
  }
  const accounts = new Map(rows.rows.map((row) => [row.id, accountRowToState(row)]));
  // Time never runs backwards inside a stream, even if the database clock is stepped back.
  for (const account of accounts.values()) {
    if (account.lastOccurredAt.getTime() > now.getTime()) now = account.lastOccurredAt;
  }
  const charges = new Map<string, ChargeState>();
  if (command.type === 'reverse_charge' && UUID_PATTERN.test(command.originalEventId)) {
    const charge = await tx.query<{ event_id: string; account_id: string; amount_minor: string; reversed_minor: string }>(
      `SELECT event_id::text AS event_id, account_id, amount_minor::text AS amount_minor, reversed_minor::text AS reversed_minor
         FROM charges WHERE event_id = $1::uuid`,
      [command.originalEventId],
    );
    const row = charge.rows[0];
    if (row) {
      charges.set(row.event_id, {
        eventId: row.event_id,
        accountId: row.account_id,
        amountMinor: BigInt(row.amount_minor),
        reversedMinor: BigInt(row.reversed_minor),
      });
    }
  }
  return { state: { accounts, charges }, now };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function accountsTouchedInCommandOrder(command: LedgerCommand): string[] {
  return command.type === 'transfer' ? [command.fromAccountId, command.toAccountId] : [command.accountId];
}

function orderByStreamPosition(events: RecordedEvent[]): RecordedEvent[] {
  return [...events].sort((a, b) => (a.globalPosition < b.globalPosition ? -1 : a.globalPosition > b.globalPosition ? 1 : 0));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
