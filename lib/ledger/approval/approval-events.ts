// What happens to an approval request: the facts of its stream (`approval-<id>`). The request
// holds the exact command it waits to run; the command's own events are recorded on their own
// streams, in the same transaction as `approval_granted`, and name both people.

import { z } from 'zod';
import { ROLES } from '../../auth/permissions';
import { eventSchema, storedInstant, text } from '../event-schema';
import { APPROVAL_KINDS } from './approval-rules';

const person = {
  actor: text,
  userId: text,
  email: text,
  role: z.enum(ROLES),
};

/** One account's figures before and after the command, as minor-unit digit strings. */
export const previewLineSchema = z.strictObject({
  accountId: text,
  currency: text,
  balanceBeforeMinor: z.string().regex(/^-?\d+$/),
  balanceAfterMinor: z.string().regex(/^-?\d+$/),
  availableBeforeMinor: z.string().regex(/^-?\d+$/),
  availableAfterMinor: z.string().regex(/^-?\d+$/),
  statusBefore: text,
  statusAfter: text,
});
export type PreviewLine = z.output<typeof previewLineSchema>;

export const approvalEventSchemas = [
  eventSchema(
    'approval_requested',
    z.strictObject({
      approvalId: text,
      kind: z.enum(APPROVAL_KINDS),
      /** The exact command, as JSON: what runs on approval, nothing else. */
      command: z.record(z.string(), z.unknown()),
      /** The request fingerprint of the maker's submission (its idempotency check). */
      fingerprint: text,
      /** What the command is about, for lists: an account id, a user id. */
      subject: text,
      /** The amount that made it need approval, in minor units of `currency` ("" when none). */
      amountMinor: z.string().regex(/^\d*$/),
      currency: text,
      summary: text,
      preview: z.array(previewLineSchema),
      maker: z.strictObject(person),
      approverRoles: z.array(z.enum(ROLES)).min(1),
      expiresAt: storedInstant,
    }),
  ),
  eventSchema('approval_granted', z.strictObject({ checker: z.strictObject(person) })),
  eventSchema(
    'approval_rejected',
    z.strictObject({ checker: z.strictObject(person), reason: text }),
  ),
  eventSchema('approval_cancelled', z.strictObject({ reason: text })),
] as const;
