// What happens to a hold (an authorisation): the facts of its stream (`hold-<id>`). Each one is
// recorded together with the account's side of it (account-events.ts), in one transaction.

import { z } from 'zod';
import { currencyCode, eventSchema, minorUnits, storedInstant, text } from '../event-schema';

export const holdEventSchemas = [
  eventSchema(
    'hold_placed',
    z.strictObject({
      holdId: text,
      accountId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
      expiresAt: storedInstant.nullable(),
      reason: text,
      reference: text,
    }),
  ),
  eventSchema(
    'hold_captured',
    z.strictObject({
      holdId: text,
      accountId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
    }),
  ),
  eventSchema(
    'hold_released',
    z.strictObject({
      holdId: text,
      accountId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
      reason: text,
    }),
  ),
  eventSchema(
    'hold_expired',
    z.strictObject({
      holdId: text,
      accountId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
    }),
  ),
] as const;
