'use server';

// Server actions behind the Approvals screens: approve (the held command runs now, once), reject
// with a reason, or — for the maker — cancel. Each is a public endpoint: runAction authenticates,
// checks the permission, validates the form; the four-eyes rules themselves are the decider's.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/actions/action-state';
import type { SessionUser } from '@/lib/server/auth/current-user';
import { actionContext } from '@/lib/server/actions/action-context';
import { runAction } from '@/lib/server/actions/run-action';
import { approveRequest } from '@/lib/server/approvals/approve-request';
import { cancelRequest } from '@/lib/server/approvals/cancel-request';
import { rejectRequest } from '@/lib/server/approvals/reject-request';
import type { CommandResult } from '@/lib/server/pipeline/command-result';
import type { Person } from '@/lib/ledger/approval/approval-rules';
import {
  approveRequestForm,
  cancelRequestForm,
  rejectRequestForm,
} from '@/lib/schemas/approval-forms';

function personOf(user: SessionUser): Person {
  return { actor: `user:${user.id}`, userId: user.id, email: user.email, role: user.role };
}

/** Refreshes what the decision changed: the request, the inbox, and any account it moved. */
function done(message: string, result: CommandResult) {
  const approval = result.approvals[0];
  if (approval) revalidatePath(`/approvals/${approval.id}`);
  revalidatePath('/approvals');
  for (const account of result.accounts) revalidatePath(`/accounts/${account.id}`);
  return {
    message: result.replayed ? `${message} (already recorded; nothing was done twice)` : message,
    data: null,
  };
}

export async function approveRequestAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'approvals:decide',
    formData,
    schema: approveRequestForm,
    resource: (fields) => fields.approvalId,
    run: async ({ approvalId, idempotencyKey }, user) =>
      done(
        'Approved: the request ran',
        await approveRequest({
          approvalId,
          checker: personOf(user),
          context: actionContext(user, idempotencyKey),
        }),
      ),
  });
}

export async function rejectRequestAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'approvals:decide',
    formData,
    schema: rejectRequestForm,
    resource: (fields) => fields.approvalId,
    run: async ({ approvalId, reason, idempotencyKey }, user) =>
      done(
        'Rejected: nothing of it will run',
        await rejectRequest({
          approvalId,
          checker: personOf(user),
          reason,
          context: actionContext(user, idempotencyKey),
        }),
      ),
  });
}

export async function cancelRequestAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'approvals:cancel',
    formData,
    schema: cancelRequestForm,
    resource: (fields) => fields.approvalId,
    run: async ({ approvalId, reason, idempotencyKey }, user) =>
      done(
        'Cancelled',
        await cancelRequest({
          approvalId,
          by: personOf(user),
          reason,
          context: actionContext(user, idempotencyKey),
        }),
      ),
  });
}
