// The ledger's event vocabulary: every fact any aggregate records, in one union. The zod schemas
// (account-events.ts, hold-events.ts) describe the JSON stored in `events.data` (amounts as strings
// of minor units, instants as ISO strings); decoding turns them into domain events (bigints,
// Dates). A new shape for an event type gets a new `schemaVersion` and an upcaster in
// `decodeLedgerEvent`, never an edit of stored rows.

import { z } from 'zod';
import { accountEventSchemas } from './account/account-events';
import { approvalEventSchemas } from './approval/approval-events';
import type { CurrencyCode } from './currencies';
import { disputeEventSchemas } from './dispute/dispute-events';
import { holdEventSchemas } from './hold/hold-events';

export const ledgerEventSchema = z.discriminatedUnion('type', [
  ...accountEventSchemas,
  ...holdEventSchemas,
  ...disputeEventSchemas,
  ...approvalEventSchemas,
]);

/** A ledger event as the domain sees it: amounts are bigint minor units, instants Dates. */
export type LedgerEvent = z.output<typeof ledgerEventSchema>;
/** The same event as stored in JSON: amounts are strings of minor-unit digits. */
export type LedgerEventJson = z.input<typeof ledgerEventSchema>;
export type LedgerEventType = LedgerEvent['type'];
export type EventOfType<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>;

export const ACCOUNT_EVENT_TYPES = accountEventSchemas.map((schema) => schema.shape.type.value);
export const HOLD_EVENT_TYPES = holdEventSchemas.map((schema) => schema.shape.type.value);
export const DISPUTE_EVENT_TYPES = disputeEventSchemas.map((schema) => schema.shape.type.value);
export const APPROVAL_EVENT_TYPES = approvalEventSchemas.map((schema) => schema.shape.type.value);
export const EVENT_TYPES = [
  ...ACCOUNT_EVENT_TYPES,
  ...HOLD_EVENT_TYPES,
  ...DISPUTE_EVENT_TYPES,
  ...APPROVAL_EVENT_TYPES,
] as [LedgerEventType, ...LedgerEventType[]];

export type AccountEvent = Extract<LedgerEvent, { type: (typeof ACCOUNT_EVENT_TYPES)[number] }>;
export type HoldEvent = Extract<LedgerEvent, { type: (typeof HOLD_EVENT_TYPES)[number] }>;

export type DisputeEvent = Extract<LedgerEvent, { type: (typeof DISPUTE_EVENT_TYPES)[number] }>;

export function isAccountEvent(event: LedgerEvent): event is AccountEvent {
  return (ACCOUNT_EVENT_TYPES as readonly string[]).includes(event.type);
}

export function isHoldEvent(event: LedgerEvent): event is HoldEvent {
  return (HOLD_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Decodes a stored event (type, schema version and JSON data) into a domain event. */
export function decodeLedgerEvent(stored: {
  type: string;
  schemaVersion: number;
  data: unknown;
}): LedgerEvent {
  return ledgerEventSchema.parse({
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    data: stored.data,
  });
}

/** Encodes a domain event's data as JSON: bigints become digit strings, Dates ISO instants. */
export function encodeEventData(event: LedgerEvent): LedgerEventJson['data'] {
  const encoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.data)) {
    encoded[key] =
      typeof value === 'bigint'
        ? value.toString()
        : value instanceof Date
          ? value.toISOString()
          : value;
  }
  return encoded as LedgerEventJson['data'];
}

/**
 * The signed effect of an event on its own account's posted balance: credits positive, debits
 * negative, everything else (status changes, holds placed or ended, a hold's own stream) zero.
 */
export function balanceDelta(event: LedgerEvent): bigint {
  switch (event.type) {
    case 'funds_deposited':
    case 'transfer_completed':
    case 'charge_reversed':
    case 'provisional_credit_given':
    case 'disputed_charge_refunded':
      return event.data.amountMinor;
    case 'balance_corrected':
      return event.data.kind === 'deposit' ? event.data.amountMinor : -event.data.amountMinor;
    case 'funds_withdrawn':
    case 'transfer_initiated':
    case 'held_funds_captured':
    case 'provisional_credit_reversed':
    case 'shortfall_collected':
      return -event.data.amountMinor;
    case 'account_opened':
    case 'account_frozen':
    case 'account_unfrozen':
    case 'funds_held':
    case 'held_funds_released':
    case 'held_funds_expired':
    case 'hold_placed':
    case 'hold_captured':
    case 'hold_released':
    case 'hold_expired':
    case 'charge_disputed':
    case 'charge_dispute_closed':
    case 'shortfall_written_off':
    // A dispute case's own stream moves no money: the account's side of it does.
    case 'dispute_opened':
    case 'dispute_assigned':
    case 'dispute_note_added':
    case 'dispute_evidence_added':
    case 'dispute_evidence_submitted':
    case 'dispute_provisional_credit_given':
    case 'dispute_resolved':
    case 'dispute_shortfall_written_off':
    // Nor does an approval request's: the command it holds records its own events when approved.
    case 'approval_requested':
    case 'approval_granted':
    case 'approval_rejected':
    case 'approval_cancelled':
      return 0n;
  }
}

/** The signed effect of an account event on the amount held on that account. */
export function heldDelta(event: LedgerEvent): bigint {
  switch (event.type) {
    case 'funds_held':
      return event.data.amountMinor;
    case 'held_funds_captured':
    case 'held_funds_released':
    case 'held_funds_expired':
      return -event.data.amountMinor;
    default:
      return 0n;
  }
}

/**
 * What a stored event posted to its account's balance, and in which currency. Null for events that
 * post nothing (status changes, holds placed or ended) and for events this build cannot decode:
 * listings still show those, without an amount.
 */
export function movementOf(stored: {
  type: string;
  schemaVersion: number;
  data: unknown;
}): { deltaMinor: bigint; currency: CurrencyCode } | null {
  let event: LedgerEvent;
  try {
    event = decodeLedgerEvent(stored);
  } catch {
    return null;
  }
  const deltaMinor = balanceDelta(event);
  if (deltaMinor === 0n || !isAccountEvent(event) || !('currency' in event.data)) return null;
  return { deltaMinor, currency: event.data.currency };
}

/** Every account's events live in the stream `account-<accountId>`. */
export const ACCOUNT_STREAM_PREFIX = 'account-';

export function accountStreamId(accountId: string): string {
  return `${ACCOUNT_STREAM_PREFIX}${accountId}`;
}

/** The account a stream belongs to, or null when it is not an account stream. */
export function accountIdOfStream(streamId: string): string | null {
  return streamId.startsWith(ACCOUNT_STREAM_PREFIX)
    ? streamId.slice(ACCOUNT_STREAM_PREFIX.length)
    : null;
}

/** When an event's effect on its account's balance is dated: its effectiveAt for a correction. */
export function effectiveAtOf(event: LedgerEvent, occurredAt: Date): Date {
  return event.type === 'balance_corrected' ? event.data.effectiveAt : occurredAt;
}
