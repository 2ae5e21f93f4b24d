// What happens to an account: the facts of its stream (`account-<id>`). Amounts are stored as
// strings of minor units and are bigints in the domain.

import { z } from 'zod';
import { currencyCode, eventSchema, minorUnits, storedInstant, text } from '../event-schema';

const transferData = z.strictObject({
  transferId: text,
  fromAccountId: text,
  toAccountId: text,
  amountMinor: minorUnits,
  currency: currencyCode,
  reference: text,
});

const disputeMoney = z.strictObject({
  disputeId: text,
  chargeEventId: text,
  amountMinor: minorUnits,
  currency: currencyCode,
});

export const accountEventSchemas = [
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
  // A hold reserves funds: they stay in the balance but are no longer available, until the hold
  // is captured (posted as a debit), released or expires. The hold's own stream tells its story
  // too; these are the account's side of it.
  eventSchema(
    'funds_held',
    z.strictObject({
      holdId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
      expiresAt: storedInstant.nullable(),
      reason: text,
      reference: text,
    }),
  ),
  eventSchema(
    'held_funds_captured',
    z.strictObject({ holdId: text, amountMinor: minorUnits, currency: currencyCode }),
  ),
  eventSchema(
    'held_funds_released',
    z.strictObject({
      holdId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
      reason: text,
    }),
  ),
  eventSchema(
    'held_funds_expired',
    z.strictObject({ holdId: text, amountMinor: minorUnits, currency: currencyCode }),
  ),
  // A dispute case (its own stream, `dispute-<id>`) moves money on the charge's account; these are
  // the account's side of it. Each names the case and the charge, so the charge's reversible
  // amount and the account's balance follow from the account's events alone.
  eventSchema(
    'charge_disputed',
    z.strictObject({
      disputeId: text,
      chargeEventId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
    }),
  ),
  eventSchema('provisional_credit_given', disputeMoney),
  eventSchema('disputed_charge_refunded', disputeMoney),
  eventSchema('provisional_credit_reversed', disputeMoney),
  eventSchema(
    'charge_dispute_closed',
    z.strictObject({
      disputeId: text,
      chargeEventId: text,
      outcome: z.enum(['won', 'lost', 'withdrawn']),
      currency: currencyCode,
      /** Provisional credit the balance could not cover: owed by the account from now on. */
      outstandingMinor: minorUnits,
    }),
  ),
  eventSchema('shortfall_collected', disputeMoney),
  eventSchema('shortfall_written_off', disputeMoney.extend({ reason: text })),
  // A backdated correction: recorded now (its occurredAt is when it was recorded, like every
  // event's), but its effect on the balance is dated at effectiveAt, in the past. Always made
  // through an approval request; correctsEventId names the event it corrects, when there is one.
  eventSchema(
    'balance_corrected',
    z.strictObject({
      kind: z.enum(['deposit', 'withdrawal']),
      amountMinor: minorUnits,
      currency: currencyCode,
      effectiveAt: storedInstant,
      reason: text,
      correctsEventId: text,
    }),
  ),
] as const;
