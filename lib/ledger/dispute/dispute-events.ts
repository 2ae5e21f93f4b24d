// What happens to a dispute case: the facts of its stream (`dispute-<id>`). Money never moves on
// this stream: each step that moves money is recorded together with the account's side of it
// (account-events.ts: charge_disputed, provisional_credit_given, …), in one transaction.

import { z } from 'zod';
import { currencyCode, eventSchema, minorUnits, storedInstant, text } from '../event-schema';
import { DISPUTE_OUTCOMES, DISPUTE_REASON_CODES } from './dispute-rules';

export const disputeEventSchemas = [
  eventSchema(
    'dispute_opened',
    z.strictObject({
      disputeId: text,
      accountId: text,
      chargeEventId: text,
      amountMinor: minorUnits,
      currency: currencyCode,
      reasonCode: z.enum(DISPUTE_REASON_CODES),
      description: text,
      dueBy: storedInstant,
    }),
  ),
  eventSchema('dispute_assigned', z.strictObject({ assigneeId: text })),
  eventSchema('dispute_note_added', z.strictObject({ evidenceId: text, text })),
  eventSchema(
    'dispute_evidence_added',
    z.strictObject({
      evidenceId: text,
      fileName: text,
      contentType: text,
      sizeBytes: z.number().int().nonnegative(),
      /** SHA-256 of the file's bytes, hex: the file itself is kept beside the log, by this hash. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  eventSchema('dispute_evidence_submitted', z.strictObject({ evidenceIds: z.array(text) })),
  eventSchema(
    'dispute_provisional_credit_given',
    z.strictObject({ amountMinor: minorUnits, currency: currencyCode }),
  ),
  eventSchema(
    'dispute_resolved',
    z.strictObject({
      outcome: z.enum(DISPUTE_OUTCOMES),
      note: text,
      currency: currencyCode,
      /** Credited now when the customer won: the amount less the provisional credit. */
      refundedMinor: minorUnits,
      /** Provisional credit taken back now when the customer did not win. */
      clawedBackMinor: minorUnits,
      /** Provisional credit the balance could not cover: the account owes it. */
      outstandingMinor: minorUnits,
    }),
  ),
  eventSchema(
    'dispute_shortfall_written_off',
    z.strictObject({ amountMinor: minorUnits, currency: currencyCode, reason: text }),
  ),
] as const;
