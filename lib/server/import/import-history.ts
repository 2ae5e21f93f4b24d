// The import path: records commands that happened in the past, each at its own occurredAt. Only
// seeding, migration from the old ledger and the benchmark use it; no route or server action may
// import this module (an ESLint rule enforces that). Every command still goes through the
// decider, so imported history obeys the same rules as live history, and the event store still
// refuses an occurredAt earlier than the stream's previous event.
//
// Commands are applied in batches, one transaction per batch, so thousands of historical events
// cost a handful of round trips instead of one transaction each.

import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import {
  chargeIdOf,
  evolve,
  evolveCharge,
  initialState,
  type AccountEvent,
  type AccountState,
  type ChargeState,
} from '../../ledger/account';
import { accountsTouchedBy, type LedgerCommand } from '../../ledger/commands';
import { decide } from '../../ledger/decide';
import { accountStreamId, encodeEventData } from '../../ledger/events';
import { sequenceDecidedEvents } from '../../ledger/replay';
import { getPool, withTransaction, type Pool, type PoolClient } from '../db/pool';
import { appendToStreams } from '../event-store/append-to-streams';
import type { NewEvent } from '../event-store/types';
import { uuidv7 } from '../ids';
import { getNotifier, notifyCommitted, type Notifier } from '../notifications/notifier';
import { ACCOUNT_COLUMNS, accountRowToState, type AccountRow } from '../projections/account-view';
import { writeAccountProjections } from '../projections/write-account-projections';
import { UUID_PATTERN } from '../../ledger/limits';

export interface HistoricalCommand {
  readonly command: LedgerCommand;
  /** When it happened. Must not be earlier than the previous event of any account it touches. */
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
}): Promise<ImportSummary> {
  const db = options.db ?? getPool();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let commandsApplied = 0;
  let eventsWritten = 0;
  let lastGlobalPosition: bigint | null = null;
  let batch: HistoricalCommand[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const written = await withTransaction(db, (tx) =>
      importBatch(tx, current, options.actor, commandsApplied),
    );
    commandsApplied += current.length;
    eventsWritten += written.eventsWritten;
    lastGlobalPosition = written.lastGlobalPosition ?? lastGlobalPosition;
  };

  for (const item of options.commands) {
    batch.push(item);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (lastGlobalPosition !== null)
    notifyCommitted(options.notifier ?? getNotifier(), lastGlobalPosition);
  return { commandsApplied, eventsWritten, lastGlobalPosition };
}

async function importBatch(
  tx: PoolClient,
  batch: HistoricalCommand[],
  defaultActor: string,
  offset: number,
): Promise<{ eventsWritten: number; lastGlobalPosition: bigint | null }> {
  const accountIds = [...new Set(batch.flatMap((item) => accountsTouchedBy(item.command)))];
  const rows = await tx.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE`,
    [accountIds],
  );
  const chargeIds = batch.flatMap((item) =>
    item.command.type === 'reverse_charge' && UUID_PATTERN.test(item.command.originalEventId)
      ? [item.command.originalEventId]
      : [],
  );
  const chargeRows = chargeIds.length
    ? await tx.query<{
        event_id: string;
        account_id: string;
        amount_minor: string;
        reversed_minor: string;
      }>(
        `SELECT event_id::text AS event_id, account_id, amount_minor::text AS amount_minor, reversed_minor::text AS reversed_minor
           FROM charges WHERE event_id = ANY($1::uuid[]) FOR UPDATE`,
        [chargeIds],
      )
    : { rows: [] };

  const before = {
    accounts: new Map<string, AccountState>(
      rows.rows.map((row) => [row.id, accountRowToState(row)]),
    ),
    charges: new Map<string, ChargeState>(
      chargeRows.rows.map((row) => [
        row.event_id,
        {
          eventId: row.event_id,
          accountId: row.account_id,
          amountMinor: BigInt(row.amount_minor),
          reversedMinor: BigInt(row.reversed_minor),
        },
      ]),
    ),
  };
  // Working copies, mutated in place as the batch is decided command by command.
  const accounts = new Map(before.accounts);
  const charges = new Map(before.charges);
  const applied: AccountEvent[] = [];
  const newEvents = new Map<string, NewEvent[]>();

  for (const [index, item] of batch.entries()) {
    for (const accountId of accountsTouchedBy(item.command)) {
      const account = accounts.get(accountId);
      if (
        account?.status === 'open' &&
        account.lastOccurredAt.getTime() > item.occurredAt.getTime()
      ) {
        throw new AppError(
          'validation_error',
          `Imported command ${offset + index + 1} happens at ${item.occurredAt.toISOString()}, before account ${accountId}'s previous event at ${account.lastOccurredAt.toISOString()}. Import history in time order.`,
        );
      }
    }
    const decided = decide(item.command, { accounts, charges }, item.occurredAt);
    const sequenced = sequenceDecidedEvents(
      { accounts, charges },
      decided,
      decided.map((_, position) => item.eventIds?.[position] ?? uuidv7(item.occurredAt.getTime())),
    );
    const correlationId = randomUUID();
    for (const [position, event] of sequenced.entries()) {
      accounts.set(event.accountId, evolve(accounts.get(event.accountId) ?? initialState, event));
      const chargeId = chargeIdOf(event);
      if (chargeId !== undefined) {
        const charge = evolveCharge(charges.get(chargeId), event);
        if (charge) charges.set(chargeId, charge);
      }
      const causationId = decided[position]?.causationId;
      const list = newEvents.get(event.accountId) ?? [];
      list.push({
        eventId: event.eventId,
        type: event.event.type,
        schemaVersion: event.event.schemaVersion,
        data: encodeEventData(event.event),
        metadata: {
          actor: item.actor ?? defaultActor,
          correlationId,
          ...(causationId ? { causationId } : {}),
        },
        occurredAt: event.occurredAt,
      });
      newEvents.set(event.accountId, list);
      applied.push(event);
    }
  }

  const headHashes = new Map(rows.rows.map((row) => [row.id, row.last_event_hash]));
  const recorded = await appendToStreams(
    tx,
    [...newEvents].map(([accountId, events]) => {
      const account = before.accounts.get(accountId);
      const hash = headHashes.get(accountId);
      return {
        streamId: accountStreamId(accountId),
        expectedVersion: account?.version ?? 0,
        events,
        ...(account?.status === 'open' && hash
          ? { knownHead: { version: account.version, hash, occurredAt: account.lastOccurredAt } }
          : {}),
      };
    }),
  );
  const stored = new Map(recorded.map((event) => [event.eventId, event]));
  await writeAccountProjections(tx, {
    before,
    events: applied.map((event) => {
      const recordedEvent = stored.get(event.eventId);
      if (!recordedEvent) throw new Error(`event ${event.eventId} was not recorded`);
      return { ...event, globalPosition: recordedEvent.globalPosition, hash: recordedEvent.hash };
    }),
  });
  let lastGlobalPosition: bigint | null = null;
  for (const event of recorded)
    if (lastGlobalPosition === null || event.globalPosition > lastGlobalPosition)
      lastGlobalPosition = event.globalPosition;
  return { eventsWritten: recorded.length, lastGlobalPosition };
}
