// What the back office's dispute forms post to their server actions (the shared input schemas
// plus the case a form is about and the idempotency key the form generated), and the queue's
// filters as they stand in its URL.

import { z } from 'zod';
import {
  DISPUTE_REASON_CODES,
  DISPUTE_REASON_LABELS,
  DISPUTE_STATUSES,
  DISPUTE_STATUS_LABELS,
} from '../ledger/dispute/dispute-rules';
import { listDisputesQuery } from './api-resources';
import {
  assignDisputeInput,
  disputeIdSchema,
  disputeNoteInput,
  openDisputeInput,
  provisionalCreditInput,
  resolveDisputeInput,
  withdrawDisputeInput,
  writeOffInput,
} from './dispute-inputs';
import { idempotencyKeySchema } from './ledger-forms';

const keyed = { idempotencyKey: idempotencyKeySchema };
const forDispute = { disputeId: disputeIdSchema, ...keyed };

export const openDisputeForm = openDisputeInput.extend({
  ...keyed,
  // The form offers the reasons as a list; an empty choice is a missing answer, not a bad code.
  reasonCode: z.enum(DISPUTE_REASON_CODES, { error: 'Choose a reason.' }),
});
export const assignDisputeForm = assignDisputeInput.extend(forDispute);
export const disputeNoteForm = disputeNoteInput.extend(forDispute);
/** The file itself travels beside these fields and is read by the action, not by the schema. */
export const disputeEvidenceForm = z.strictObject(forDispute);
export const provisionalCreditForm = provisionalCreditInput.extend(forDispute);
export const submitDisputeEvidenceForm = z.strictObject(forDispute);
export const resolveDisputeForm = resolveDisputeInput.extend(forDispute);
export const withdrawDisputeForm = withdrawDisputeInput.extend(forDispute);
export const writeOffShortfallForm = writeOffInput.extend(forDispute);

const statusNames = DISPUTE_STATUSES.map((status) => DISPUTE_STATUS_LABELS[status]).join(', ');
const reasonNames = DISPUTE_REASON_CODES.map((reason) => DISPUTE_REASON_LABELS[reason]).join(', ');

/** The queue's filters, named as in the HTTP API's list of cases, with messages for people. */
export const disputeQueueFilters = listDisputesQuery.extend({
  status: z.enum(DISPUTE_STATUSES, { error: `The status is one of: ${statusNames}.` }).optional(),
  reasonCode: z
    .enum(DISPUTE_REASON_CODES, { error: `The reason is one of: ${reasonNames}.` })
    .optional(),
  overdue: z
    .enum(['true', 'false'], { error: 'The overdue filter is "true" or "false".' })
    .transform((value) => value === 'true')
    .optional(),
  sort: z.enum(['newest', 'urgent'], { error: 'Sort by "newest" or "urgent".' }).default('newest'),
});
export type DisputeQueueFilters = z.output<typeof disputeQueueFilters>;

/** The query parameters the queue reads; anything else in its URL is ignored. */
export const DISPUTE_QUEUE_PARAMS = [
  'status',
  'reasonCode',
  'assignee',
  'overdue',
  'sort',
  'accountId',
  'cursor',
] as const;
