// What a command returns, and its JSON form (stored with the idempotency key so that a retry
// returns exactly the first answer).

import type { CurrencyCode } from '../../ledger/currencies';
import type { HoldStatus } from '../../ledger/hold/hold-state';
import type { AccountRecord } from '../aggregates/account/account-record';
import type { HoldRecord } from '../aggregates/hold/hold-record';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store/types';

export interface CommandResult {
  /** The events the command recorded, in append order. */
  readonly events: readonly RecordedEvent[];
  /** Every account the command touched, after it, in the order the command names them. */
  readonly accounts: readonly AccountRecord[];
  /** Every hold the command touched, after it. */
  readonly holds: readonly HoldRecord[];
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

interface EncodedAccount {
  id: string;
  ownerId: string;
  currency: CurrencyCode;
  balanceMinor: string;
  /** Absent in answers stored before holds existed. */
  heldMinor?: string;
  frozen: boolean;
  frozenReason: string | null;
  version: number;
  openedAt: string;
  lastEventAt: string;
  updatedAt: string;
}

interface EncodedHold {
  id: string;
  accountId: string;
  currency: CurrencyCode;
  amountMinor: string;
  capturedMinor: string;
  remainingMinor: string;
  status: HoldStatus;
  reason: string;
  reference: string;
  expiresAt: string | null;
  placedAt: string;
  version: number;
  updatedAt: string;
}

export interface EncodedCommandResult {
  events: EncodedEvent[];
  accounts: EncodedAccount[];
  holds?: EncodedHold[];
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
    accounts: result.accounts.map((account) => ({
      ...account,
      balanceMinor: account.balanceMinor.toString(),
      heldMinor: account.heldMinor.toString(),
      openedAt: account.openedAt.toISOString(),
      lastEventAt: account.lastEventAt.toISOString(),
      updatedAt: account.updatedAt.toISOString(),
    })),
    holds: result.holds.map((hold) => ({
      ...hold,
      amountMinor: hold.amountMinor.toString(),
      capturedMinor: hold.capturedMinor.toString(),
      remainingMinor: hold.remainingMinor.toString(),
      expiresAt: hold.expiresAt?.toISOString() ?? null,
      placedAt: hold.placedAt.toISOString(),
      updatedAt: hold.updatedAt.toISOString(),
    })),
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
      heldMinor: BigInt(account.heldMinor ?? '0'),
      openedAt: new Date(account.openedAt),
      lastEventAt: new Date(account.lastEventAt),
      updatedAt: new Date(account.updatedAt),
    })),
    holds: (encoded.holds ?? []).map((hold) => ({
      ...hold,
      amountMinor: BigInt(hold.amountMinor),
      capturedMinor: BigInt(hold.capturedMinor),
      remainingMinor: BigInt(hold.remainingMinor),
      expiresAt: hold.expiresAt === null ? null : new Date(hold.expiresAt),
      placedAt: new Date(hold.placedAt),
      updatedAt: new Date(hold.updatedAt),
    })),
  };
}
