// What callers send to decide or cancel an approval request.

import { z } from 'zod';
import { REASON_MAX_LENGTH } from '../ledger/limits';

export const rejectApprovalInput = z.strictObject({
  reason: z
    .string({ error: 'A reason is required.' })
    .trim()
    .min(1, 'A reason is required.')
    .max(REASON_MAX_LENGTH, `A reason is at most ${REASON_MAX_LENGTH} characters.`),
});

export const cancelApprovalInput = z.strictObject({
  reason: z
    .string()
    .trim()
    .max(REASON_MAX_LENGTH, `A reason is at most ${REASON_MAX_LENGTH} characters.`)
    .optional(),
});
