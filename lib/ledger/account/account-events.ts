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
] as const;
