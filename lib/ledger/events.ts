// The ledger's event vocabulary. Every money movement and every status change of an account is
// one of these eight facts. The zod schemas describe the JSON stored in `events.data`
// (amounts as strings of minor-unit digits); decoding turns them into domain events whose
// amounts are bigints. A new shape for an event type gets a new `schemaVersion` and an upcaster
// in `decodeLedgerEvent`, never an edit of stored rows.

import { z } from 'zod';
import { isCurrencyCode, type CurrencyCode } from './currencies';

export const EVENT_TYPES = [
  'account_opened',
  'funds_deposited',
  'funds_withdrawn',
  'transfer_initiated',
  'transfer_completed',
  'charge_reversed',
  'account_frozen',
  'account_unfrozen',
] as const;

export type LedgerEventType = (typeof EVENT_TYPES)[number];

const currencyCode = z
  .string()
  .refine(isCurrencyCode, 'unknown currency') as unknown as z.ZodType<CurrencyCode>;
const minorUnits = z
  .string()
  .regex(/^(0|[1-9]\d*)$/, 'minor units must be a non-negative integer string')
  .transform((digits) => BigInt(digits));
const text = z.string();

const transferData = z.strictObject({
  transferId: text,
  fromAccountId: text,
  toAccountId: text,
  amountMinor: minorUnits,
  currency: currencyCode,
  reference: text,
});

function eventSchema<T extends LedgerEventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ type: z.literal(type), schemaVersion: z.literal(1), data });
}

export const ledgerEventSchema = z.discriminatedUnion('type', [
  eventSchema(
    'account_opened',
    z.strictObject({ accountId: text, ownerId: text, currency: currencyCode }),
  ),
  eventSchema(
    'funds_deposited',
    z.strictObject({
      amountMinor: minorUnits,
      currency: currencyCode,
      source: text,
      reference: text,
    }),
  ),
  eventSchema(
    'funds_withdrawn',
    z.strictObject({
      amountMinor: minorUnits,
      currency: currencyCode,
      destination: text,
      reference: text,
    }),
  ),
  // Both legs of a transfer carry the same data, so either one tells the whole story.
  eventSchema('transfer_initiated', transferData),
  eventSchema('transfer_completed', transferData),
  eventSchema(
    'charge_reversed',
    z.strictObject({
      originalEventId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
      reason: text,
    }),
  ),
  eventSchema('account_frozen', z.strictObject({ reason: text })),
  eventSchema('account_unfrozen', z.strictObject({ reason: text })),
]);

/** A ledger event as the domain sees it: amounts are bigint minor units. */
export type LedgerEvent = z.output<typeof ledgerEventSchema>;
/** The same event as stored in JSON: amounts are strings of minor-unit digits. */
export type LedgerEventJson = z.input<typeof ledgerEventSchema>;

export type EventOfType<T extends LedgerEventType> = Extract<LedgerEvent, { type: T }>;

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

/** Encodes a domain event's data as JSON: bigints become digit strings. */
export function encodeEventData(event: LedgerEvent): LedgerEventJson['data'] {
  const encoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.data)) {
    encoded[key] = typeof value === 'bigint' ? value.toString() : value;
  }
  return encoded as LedgerEventJson['data'];
}

/**
 * The signed effect of an event on its own account's balance: credits positive, debits
 * negative, status changes zero.
 */
export function balanceDelta(event: LedgerEvent): bigint {
  switch (event.type) {
    case 'funds_deposited':
    case 'transfer_completed':
    case 'charge_reversed':
      return event.data.amountMinor;
    case 'funds_withdrawn':
    case 'transfer_initiated':
      return -event.data.amountMinor;
    case 'account_opened':
    case 'account_frozen':
    case 'account_unfrozen':
      return 0n;
  }
}

/**
 * What a stored event did to its account's balance, and in which currency. Null for events that
 * carry no currency and for events this build cannot decode: listings still show those, without
 * an amount.
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
  if (!('currency' in event.data)) return null;
  return { deltaMinor: balanceDelta(event), currency: event.data.currency };
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

/** Like `accountIdOfStream`, for streams that must be account streams. */
export function accountIdFromStreamId(streamId: string): string {
  const accountId = accountIdOfStream(streamId);
  if (accountId === null) throw new Error(`not an account stream: ${streamId}`);
  return accountId;
}
