// Input schemas for dispute cases, shared by the HTTP API, the back office's forms and OpenAPI.

import { z } from 'zod';
import { REASON_MAX_LENGTH, UUID_PATTERN } from '../ledger/limits';
import {
  DESCRIPTION_MAX_LENGTH,
  DISPUTE_REASON_CODES,
  MAX_DUE_DAYS,
  NOTE_MAX_LENGTH,
} from '../ledger/dispute/dispute-rules';
import { utcInstantSchema } from './audit-filters';
import { amountSchema, eventIdSchema, requiredText } from './ledger-inputs';

export const disputeIdSchema = z
  .string({ error: 'A dispute id is required.' })
  .regex(UUID_PATTERN, 'A dispute id is a UUID.');

export const reasonCodeSchema = z.enum(DISPUTE_REASON_CODES, {
  error: `The reason is one of ${DISPUTE_REASON_CODES.join(', ')}.`,
});

export const openDisputeInput = z.strictObject({
  chargeEventId: eventIdSchema.meta({
    description: 'The charge disputed: a withdrawal or a captured hold (its event id).',
  }),
  amount: amountSchema
    .optional()
    .meta({ description: 'Defaults to everything still reversible on the charge.' }),
  reasonCode: reasonCodeSchema,
  description: requiredText(DESCRIPTION_MAX_LENGTH, 'Description').meta({
    description: "The customer's own account of what is wrong.",
  }),
  dueBy: utcInstantSchema.optional().meta({
    description: `When a response is due (at most ${MAX_DUE_DAYS} days ahead). Defaults to the policy's days for the reason.`,
    example: '2026-04-15T00:00:00Z',
  }),
});
export type OpenDisputeInput = z.infer<typeof openDisputeInput>;

export const assignDisputeInput = z.strictObject({
  assigneeId: z
    .string({ error: 'An assignee is required.' })
    .regex(UUID_PATTERN, 'The assignee is a user id (a UUID).')
    .meta({ description: 'A support user or admin (their user id).' }),
});
export type AssignDisputeInput = z.infer<typeof assignDisputeInput>;

export const disputeNoteInput = z.strictObject({ text: requiredText(NOTE_MAX_LENGTH, 'Note') });
export type DisputeNoteInput = z.infer<typeof disputeNoteInput>;

export const provisionalCreditInput = z.strictObject({
  amount: amountSchema.optional().meta({ description: 'Defaults to the whole disputed amount.' }),
});
export type ProvisionalCreditInput = z.infer<typeof provisionalCreditInput>;

export const resolveDisputeInput = z.strictObject({
  outcome: z.enum(['won', 'lost'], { error: 'The outcome is "won" or "lost".' }).meta({
    description: '`won`: the customer won, the charge is refunded; `lost`: no refund.',
  }),
  note: requiredText(REASON_MAX_LENGTH, 'Note'),
});
export type ResolveDisputeInput = z.infer<typeof resolveDisputeInput>;

export const withdrawDisputeInput = z.strictObject({
  note: requiredText(REASON_MAX_LENGTH, 'Note'),
});
export type WithdrawDisputeInput = z.infer<typeof withdrawDisputeInput>;

export const writeOffInput = z.strictObject({
  reason: requiredText(REASON_MAX_LENGTH, 'Reason'),
});
export type WriteOffInput = z.infer<typeof writeOffInput>;
