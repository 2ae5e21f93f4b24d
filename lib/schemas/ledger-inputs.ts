// Input schemas for every money movement. The web forms, the server actions, the HTTP API and
// the OpenAPI document all use these, so they cannot drift apart. Amounts stay decimal strings
// here: only the decider knows the account's currency, and so how many decimals are allowed.

import { z } from 'zod';
import {
  ACCOUNT_ID_PATTERN,
  UUID_PATTERN,
  hasControlCharacters,
  isWellFormedText,
  OWNER_ID_MAX_LENGTH,
  REASON_MAX_LENGTH,
  REFERENCE_MAX_LENGTH,
  MAX_HOLD_DAYS,
} from '../ledger/limits';
import { utcInstantSchema } from './audit-filters';

/** Printable text without control characters (PostgreSQL cannot store NUL in text). */
export function text(maxLength: number, label: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? `${label} is required.` : `${label} must be text.`,
    })
    .max(maxLength, `${label} is at most ${maxLength} characters.`)
    .refine((value) => !hasControlCharacters(value), `${label} contains control characters.`)
    .refine(
      isWellFormedText,
      `${label} contains an unpaired UTF-16 surrogate (not valid Unicode).`,
    );
}

export function requiredText(maxLength: number, label: string) {
  return text(maxLength, label).refine((value) => value.trim().length > 0, `${label} is required.`);
}

export const accountIdSchema = z
  .string({ error: 'An account id is required.' })
  .regex(ACCOUNT_ID_PATTERN, 'An account id is 1 to 64 letters, digits, "-" or "_".')
  .meta({
    description: 'Account id: 1–64 letters, digits, "-" or "_".',
    example: 'acc_customer_42',
  });

export const amountSchema = z
  .string({ error: 'The amount must be a decimal string such as "12.34", not a number.' })
  .max(64, 'The amount is too long.')
  .meta({
    description:
      "A positive decimal amount in the account's currency, with at most the currency's minor digits (USD 2, JPY 0, BHD 3).",
    example: '125.50',
  });

export const currencySchema = z
  .string({ error: 'A currency is required.' })
  .regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code such as USD.')
  .meta({ description: 'ISO 4217 currency code.', example: 'USD' });

export const eventIdSchema = z
  .string({ error: 'An event id is required.' })
  .regex(UUID_PATTERN, 'An event id is a UUID.')
  .transform((value) => value.toLowerCase());

const reference = text(REFERENCE_MAX_LENGTH, 'Reference').optional().meta({
  description: "The caller's own reference for this movement (an invoice or payment id).",
});

export const openAccountInput = z.strictObject({
  id: accountIdSchema.optional(),
  ownerId: requiredText(OWNER_ID_MAX_LENGTH, 'Owner'),
  currency: currencySchema,
  initialBalance: amountSchema
    .optional()
    .meta({ description: 'Opening deposit; omit or "0" to open empty.' }),
});
export type OpenAccountInput = z.infer<typeof openAccountInput>;

export const depositInput = z.strictObject({
  amount: amountSchema,
  source: text(REFERENCE_MAX_LENGTH, 'Source')
    .optional()
    .meta({ description: 'Where the money came from.' }),
  reference,
});
export type DepositInput = z.infer<typeof depositInput>;

export const withdrawalInput = z.strictObject({
  amount: amountSchema,
  destination: text(REFERENCE_MAX_LENGTH, 'Destination')
    .optional()
    .meta({ description: 'Where the money went.' }),
  reference,
});
export type WithdrawalInput = z.infer<typeof withdrawalInput>;

export const transferInput = z.strictObject({
  fromAccountId: accountIdSchema,
  toAccountId: accountIdSchema,
  amount: amountSchema,
  reference,
});
export type TransferInput = z.infer<typeof transferInput>;

export const reversalInput = z.strictObject({
  originalEventId: eventIdSchema,
  amount: amountSchema.optional().meta({ description: 'Defaults to everything not yet reversed.' }),
  reason: requiredText(REASON_MAX_LENGTH, 'Reason'),
});
export type ReversalInput = z.infer<typeof reversalInput>;

export const freezeInput = z.strictObject({ reason: requiredText(REASON_MAX_LENGTH, 'Reason') });
export type FreezeInput = z.infer<typeof freezeInput>;

export const holdIdSchema = z
  .string({ error: 'A hold id is required.' })
  .regex(UUID_PATTERN, 'A hold id is a UUID.');

export const placeHoldInput = z.strictObject({
  amount: amountSchema.meta({ description: 'What the hold reserves.' }),
  reason: requiredText(REASON_MAX_LENGTH, 'Reason'),
  reference: text(REFERENCE_MAX_LENGTH, 'Reference').optional().meta({
    description: "The caller's own reference (an authorisation code, an order id).",
  }),
  expiresAt: utcInstantSchema.optional().meta({
    description: `When the hold stops reserving funds (ISO 8601; at most ${MAX_HOLD_DAYS} days ahead). Without it, the hold lasts until captured or released.`,
    example: '2026-03-22T00:00:00Z',
  }),
});
export type PlaceHoldInput = z.infer<typeof placeHoldInput>;

export const captureHoldInput = z.strictObject({
  amount: amountSchema
    .optional()
    .meta({ description: 'Defaults to everything the hold still reserves.' }),
});
export type CaptureHoldInput = z.infer<typeof captureHoldInput>;

export const releaseHoldInput = z.strictObject({
  reason: requiredText(REASON_MAX_LENGTH, 'Reason'),
});
export type ReleaseHoldInput = z.infer<typeof releaseHoldInput>;

export const correctionInput = z.strictObject({
  kind: z.enum(['deposit', 'withdrawal'], { error: 'The kind is "deposit" or "withdrawal".' }),
  amount: amountSchema,
  effectiveAt: utcInstantSchema.meta({
    description:
      'When the corrected movement should have taken effect (ISO 8601, in the past, not before the account was opened).',
    example: '2026-03-03T09:00:00Z',
  }),
  reason: requiredText(REASON_MAX_LENGTH, 'Reason'),
  correctsEventId: eventIdSchema.optional().meta({
    description: 'The event of this account the correction corrects, when there is one.',
  }),
});
export type CorrectionInput = z.infer<typeof correctionInput>;
