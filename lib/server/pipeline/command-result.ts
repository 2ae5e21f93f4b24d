// What a command returns, and its JSON form (stored with the idempotency key so that a retry
// returns exactly the first answer).

import type { CurrencyCode } from '../../ledger/currencies';
import type { HoldStatus } from '../../ledger/hold/hold-state';
import type { AccountRecord } from '../aggregates/account/account-record';
import {
  decodeEvidence,
  encodeEvidence,
  type DisputeRecord,
  type StoredEvidence,
} from '../aggregates/dispute/dispute-record';
import type { HoldRecord } from '../aggregates/hold/hold-record';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store/types';

export interface CommandResult {
  /** The events the command recorded, in append order. */
  readonly events: readonly RecordedEvent[];
  /** Every account the command touched, after it, in the order the command names them. */
  readonly accounts: readonly AccountRecord[];
  /** Every hold the command touched, after it. */
  readonly holds: readonly HoldRecord[];
  /** Every dispute case the command touched, after it. */
  readonly disputes: readonly DisputeRecord[];
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
  /** Absent in answers stored before dispute cases existed. */
  owedMinor?: string;
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

type EncodedDispute = Omit<
  DisputeRecord,
  | 'amountMinor'
  | 'provisionalCreditMinor'
  | 'refundedMinor'
  | 'clawedBackMinor'
  | 'outstandingMinor'
  | 'writtenOffMinor'
  | 'dueBy'
  | 'resolvedAt'
  | 'submittedAt'
  | 'openedAt'
  | 'updatedAt'
  | 'evidence'
> & {
  amountMinor: string;
  provisionalCreditMinor: string;
  refundedMinor: string;
  clawedBackMinor: string;
  outstandingMinor: string;
  writtenOffMinor: string;
  dueBy: string;
  resolvedAt: string | null;
  submittedAt: string | null;
  openedAt: string;
  updatedAt: string;
  evidence: StoredEvidence[];
};

export interface EncodedCommandResult {
  events: EncodedEvent[];
  accounts: EncodedAccount[];
  holds?: EncodedHold[];
  disputes?: EncodedDispute[];
}

const MINOR_FIELDS = [
  'amountMinor',
  'provisionalCreditMinor',
  'refundedMinor',
  'clawedBackMinor',
  'outstandingMinor',
  'writtenOffMinor',
] as const;

function encodeDispute(dispute: DisputeRecord): EncodedDispute {
  return {
    ...dispute,
    ...(Object.fromEntries(
      MINOR_FIELDS.map((field) => [field, dispute[field].toString()]),
    ) as Record<(typeof MINOR_FIELDS)[number], string>),
    dueBy: dispute.dueBy.toISOString(),
    resolvedAt: dispute.resolvedAt?.toISOString() ?? null,
    submittedAt: dispute.submittedAt?.toISOString() ?? null,
    openedAt: dispute.openedAt.toISOString(),
    updatedAt: dispute.updatedAt.toISOString(),
    evidence: encodeEvidence(dispute.evidence),
  };
}

function decodeDispute(encoded: EncodedDispute): DisputeRecord {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    ...encoded,
    ...(Object.fromEntries(MINOR_FIELDS.map((field) => [field, BigInt(encoded[field])])) as Record<
      (typeof MINOR_FIELDS)[number],
      bigint
    >),
    dueBy: new Date(encoded.dueBy),
    resolvedAt: date(encoded.resolvedAt),
    submittedAt: date(encoded.submittedAt),
    openedAt: new Date(encoded.openedAt),
    updatedAt: new Date(encoded.updatedAt),
    evidence: decodeEvidence(encoded.evidence),
  };
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
      owedMinor: account.owedMinor.toString(),
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
    disputes: result.disputes.map(encodeDispute),
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
      owedMinor: BigInt(account.owedMinor ?? '0'),
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
    disputes: (encoded.disputes ?? []).map(decodeDispute),
  };
}
