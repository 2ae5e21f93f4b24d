'use server';

// Server actions behind the back office's dispute screens: open a case on a charge, assign it, add
// notes, give provisional credit, submit the evidence, resolve or withdraw it, and write off what
// a lost case left the account owing. (Files go through app/api/disputes/[id]/evidence instead:
// a server action's body is read whole before the action can check who sent it.) Each is a public endpoint: runAction
// authenticates, checks the permission named here, validates the form with the shared schemas,
// then calls one use case. The form's idempotency key makes a double click count once.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/actions/action-state';
import { DISPUTE_STATUS_LABELS } from '@/lib/ledger/dispute/dispute-rules';
import { formatAmount } from '@/lib/ledger/money';
import { actionContext } from '@/lib/server/actions/action-context';
import { runAction } from '@/lib/server/actions/run-action';
import type { DisputeRecord } from '@/lib/server/aggregates/dispute/dispute-record';
import { addDisputeNote } from '@/lib/server/disputes/add-dispute-note';
import { assignDispute } from '@/lib/server/disputes/assign-dispute';
import { giveProvisionalCredit } from '@/lib/server/disputes/give-provisional-credit';
import { openDispute } from '@/lib/server/disputes/open-dispute';
import { resolveDispute } from '@/lib/server/disputes/resolve-dispute';
import { submitDisputeEvidence } from '@/lib/server/disputes/submit-dispute-evidence';
import { writeOffShortfall } from '@/lib/server/disputes/write-off-shortfall';
import type { CommandResult } from '@/lib/server/pipeline/command-result';
import {
  assignDisputeForm,
  disputeNoteForm,
  openDisputeForm,
  provisionalCreditForm,
  resolveDisputeForm,
  submitDisputeEvidenceForm,
  withdrawDisputeForm,
  writeOffShortfallForm,
} from '@/lib/schemas/dispute-forms';

export interface DisputeActionResult {
  readonly disputeId: string;
  readonly eventIds: string[];
}

function money(minor: bigint, dispute: DisputeRecord | undefined): string {
  return dispute
    ? `${formatAmount(minor, dispute.currency, { grouping: true })} ${dispute.currency}`
    : '';
}

/** Refreshes every page that shows the case, and answers the form. */
function done(
  message: string,
  result: CommandResult,
): { message: string; data: DisputeActionResult } {
  const dispute = result.disputes[0];
  if (dispute) {
    revalidatePath(`/disputes/${dispute.id}`);
    revalidatePath(`/events/${dispute.chargeEventId}`);
  }
  for (const account of result.accounts) revalidatePath(`/accounts/${account.id}`);
  revalidatePath('/disputes');
  return {
    message: result.replayed ? `${message} (already recorded; nothing was done twice)` : message,
    data: {
      disputeId: dispute?.id ?? '',
      eventIds: result.events.map((event) => event.eventId),
    },
  };
}

export async function openDisputeAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: openDisputeForm,
    resource: (fields) => fields.chargeEventId,
    run: async ({ idempotencyKey, ...input }, user) => {
      const result = await openDispute({ input, context: actionContext(user, idempotencyKey) });
      const dispute = result.disputes[0];
      return done(`Dispute of ${money(dispute?.amountMinor ?? 0n, dispute)} opened`, result);
    },
  });
}

export async function assignDisputeAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: assignDisputeForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey, ...input }, user) => {
      const result = await assignDispute({
        disputeId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      const status = result.disputes[0]?.status;
      return done(
        `Case assigned${status ? ` (status: ${DISPUTE_STATUS_LABELS[status]})` : ''}`,
        result,
      );
    },
  });
}

export async function addDisputeNoteAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: disputeNoteForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey, ...input }, user) => {
      const result = await addDisputeNote({
        disputeId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done('Note added to the evidence', result);
    },
  });
}

export async function giveProvisionalCreditAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: provisionalCreditForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey, ...input }, user) => {
      const result = await giveProvisionalCredit({
        disputeId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      const dispute = result.disputes[0];
      return done(
        `Provisional credit of ${money(dispute?.provisionalCreditMinor ?? 0n, dispute)} given`,
        result,
      );
    },
  });
}

export async function submitDisputeEvidenceAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: submitDisputeEvidenceForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey }, user) => {
      const result = await submitDisputeEvidence({
        disputeId,
        context: actionContext(user, idempotencyKey),
      });
      return done('Evidence submitted; the case is under review', result);
    },
  });
}

export async function resolveDisputeAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: resolveDisputeForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey, outcome, note }, user) => {
      const result = await resolveDispute({
        disputeId,
        outcome,
        note,
        context: actionContext(user, idempotencyKey),
      });
      const dispute = result.disputes[0];
      const owed =
        dispute && dispute.outstandingMinor > 0n
          ? `; ${money(dispute.outstandingMinor, dispute)} is still owed`
          : '';
      return done(`Case resolved as ${outcome}${owed}`, result);
    },
  });
}

export async function withdrawDisputeAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:work',
    formData,
    schema: withdrawDisputeForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey, note }, user) => {
      const result = await resolveDispute({
        disputeId,
        outcome: 'withdrawn',
        note,
        context: actionContext(user, idempotencyKey),
      });
      return done('Case withdrawn', result);
    },
  });
}

export async function writeOffShortfallAction(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'disputes:write-off',
    formData,
    schema: writeOffShortfallForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId, idempotencyKey, ...input }, user) => {
      const result = await writeOffShortfall({
        disputeId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      const dispute = result.disputes[0];
      return done(`${money(dispute?.writtenOffMinor ?? 0n, dispute)} written off`, result);
    },
  });
}
