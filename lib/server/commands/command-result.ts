// What a command returns, and its JSON form (stored with the idempotency key so that a retry
// returns exactly the first answer).

import type { AccountSummary } from '../../views';
import type { AccountView } from '../projections/account-view';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store/types';
import { toAccountSummary } from '../views';

export interface CommandResult {
  /** The events the command recorded, in append order. */
  readonly events: readonly RecordedEvent[];
  /** Every account the command touched, after it, in the order the command names them. */
  readonly accounts: readonly AccountView[];
  /** True when this is a stored answer to an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

interface EncodedEvent {
  globalPosition: string;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: EventMetadata;
  occurredAt: string;
  recordedAt: string;
  transactionId: string;
  prevHash: string;
  hash: string;
}

export interface EncodedCommandResult {
  events: EncodedEvent[];
  accounts: AccountSummary[];
}

export function encodeCommandResult(result: Omit<CommandResult, 'replayed'>): EncodedCommandResult {
  return {
    events: result.events.map((event) => ({
      ...event,
      globalPosition: event.globalPosition.toString(),
      transactionId: event.transactionId.toString(),
      occurredAt: event.occurredAt.toISOString(),
      recordedAt: event.recordedAt.toISOString(),
    })),
    accounts: result.accounts.map(toAccountSummary),
  };
}

export function decodeCommandResult(
  encoded: EncodedCommandResult,
): Omit<CommandResult, 'replayed'> {
  return {
    events: encoded.events.map((event) => ({
      ...event,
      globalPosition: BigInt(event.globalPosition),
      transactionId: BigInt(event.transactionId),
      occurredAt: new Date(event.occurredAt),
      recordedAt: new Date(event.recordedAt),
    })),
    accounts: encoded.accounts.map((account) => ({
      ...account,
      balanceMinor: BigInt(account.balanceMinor),
      openedAt: new Date(account.openedAt),
      lastEventAt: new Date(account.lastEventAt),
      updatedAt: new Date(account.updatedAt),
    })),
  };
}
