// The back office's approval forms: approve, reject (with a reason), cancel.

import { z } from 'zod';
import { REASON_MAX_LENGTH } from '../ledger/limits';
import { idempotencyKeySchema } from './ledger-forms';

const onRequest = {
  idempotencyKey: idempotencyKeySchema,
  approvalId: z.uuid('Unknown approval request.'),
};

export const approveRequestForm = z.strictObject(onRequest);

export const rejectRequestForm = z.strictObject({
  ...onRequest,
  reason: z
    .string({ error: 'Say why it is rejected.' })
    .min(1, 'Say why it is rejected.')
    .max(REASON_MAX_LENGTH, `At most ${REASON_MAX_LENGTH} characters.`),
});

export const cancelRequestForm = z.strictObject({
  ...onRequest,
  reason: z.string().max(REASON_MAX_LENGTH, `At most ${REASON_MAX_LENGTH} characters.`).optional(),
});
