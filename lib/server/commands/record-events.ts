// The writing half of a command, shared by the one-command and the batched paths: append the
// decided events to their streams (chained onto the heads read under lock) and bring the
// projections up to date, in the caller's transaction.

import type { AccountEvent } from '../../ledger/account';
import type { DecidedEvent, LedgerState } from '../../ledger/decide';
import { accountStreamId, encodeEventData } from '../../ledger/events';
import type { PoolClient } from '../db/pool';
import { appendToStreams } from '../event-store/append-to-streams';
import type { EventMetadata, NewEvent, RecordedEvent, StreamHead } from '../event-store/types';
import { writeAccountProjections } from '../projections/write-account-projections';
import type { CommandContext } from './execute-command';

/** The metadata every event of one request carries. */
export function eventMetadata(
  context: CommandContext,
  correlationId: string,
  decided: Pick<DecidedEvent, 'causationId'> | undefined,
): EventMetadata {
  return {
    actor: context.actor,
    correlationId,
    ...(decided?.causationId ? { causationId: decided.causationId } : {}),
    idempotencyKey: context.idempotencyKey,
    ...(context.requestId ? { requestId: context.requestId } : {}),
  };
}

export interface EventsToRecord {
  /** The events in decision order, with their stream versions. */
  readonly applied: readonly AccountEvent[];
  /** One metadata object per applied event. */
  readonly metadata: readonly EventMetadata[];
}

/**
 * Appends `events` (in order) on top of `before` and updates the projections. Returns the recorded
 * events, in the same order, and the state after them.
 */
export async function recordEvents(
  tx: PoolClient,
  options: { before: LedgerState; heads: ReadonlyMap<string, StreamHead>; events: EventsToRecord },
): Promise<{ recorded: RecordedEvent[]; after: LedgerState }> {
  const { applied, metadata } = options.events;
  const byAccount = new Map<string, NewEvent[]>();
  for (const [index, item] of applied.entries()) {
    const list = byAccount.get(item.accountId) ?? [];
    list.push({
      eventId: item.eventId,
      type: item.event.type,
      schemaVersion: item.event.schemaVersion,
      data: encodeEventData(item.event),
      metadata: metadata[index] as EventMetadata,
      occurredAt: item.occurredAt,
    });
    byAccount.set(item.accountId, list);
  }
  const appended = await appendToStreams(
    tx,
    [...byAccount].map(([accountId, events]) => {
      const head = options.heads.get(accountId);
      return {
        streamId: accountStreamId(accountId),
        expectedVersion: options.before.accounts.get(accountId)?.version ?? 0,
        events,
        ...(head ? { knownHead: head } : {}),
      };
    }),
  );
  const byId = new Map(appended.map((event) => [event.eventId, event]));
  const recorded = applied.map((item) => {
    const event = byId.get(item.eventId);
    if (!event) throw new Error(`event ${item.eventId} was not recorded`);
    return event;
  });
  const after = await writeAccountProjections(tx, {
    before: options.before,
    events: applied.map((item, index) => ({
      ...item,
      globalPosition: (recorded[index] as RecordedEvent).globalPosition,
      hash: (recorded[index] as RecordedEvent).hash,
    })),
  });
  return { recorded, after };
}
