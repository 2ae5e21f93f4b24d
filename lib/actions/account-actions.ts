'use server';

// Server actions behind the back-office money-movement forms. Each one is a public endpoint:
// runAction authenticates, checks the permission named here, validates the form with the shared
// schemas, then calls one use case. The form's own idempotency key makes a double click or a
// retried submission post once.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/actions/action-state';
import { formatAmount } from '@/lib/ledger/money';
import type { CommandResult } from '@/lib/server/pipeline/command-result';
import { depositFunds } from '@/lib/server/commands/deposit-funds';
import { recordCorrection } from '@/lib/server/commands/record-correction';
import { freezeAccount } from '@/lib/server/commands/freeze-account';
import { openAccount } from '@/lib/server/commands/open-account';
import { reverseCharge } from '@/lib/server/commands/reverse-charge';
import { transferFunds } from '@/lib/server/commands/transfer-funds';
import { unfreezeAccount } from '@/lib/server/commands/unfreeze-account';
import { withdrawFunds } from '@/lib/server/commands/withdraw-funds';
import { actionContext } from '@/lib/server/actions/action-context';
import { runAction } from '@/lib/server/actions/run-action';
import {
  depositForm,
  correctionForm,
  freezeForm,
  openAccountForm,
  reversalForm,
  transferForm,
  withdrawalForm,
} from '@/lib/schemas/ledger-forms';

export interface MovementResult {
  readonly accountIds: string[];
  readonly eventIds: string[];
}

/** The first touched account's amount moved, for the confirmation message. */
function movedAmount(result: CommandResult): string {
  const account = result.accounts[0];
  const data = result.events[result.events.length - 1]?.data as
    { amountMinor?: string } | undefined;
  return account && data?.amountMinor
    ? `${formatAmount(BigInt(data.amountMinor), account.currency, { grouping: true })} ${account.currency}`
    : '';
}

function done(message: string, result: CommandResult): { message: string; data: MovementResult } {
  for (const account of result.accounts) revalidatePath(`/accounts/${account.id}`);
  revalidatePath('/accounts');
  return {
    message: result.replayed ? `${message} (already recorded; nothing was posted twice)` : message,
    data: {
      accountIds: result.accounts.map((account) => account.id),
      eventIds: result.events.map((event) => event.eventId),
    },
  };
}

export async function openAccountAction(
  _previous: ActionState<MovementResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'accounts:open',
    formData,
    schema: openAccountForm,
    run: async ({ idempotencyKey, ...input }, user) => {
      const result = await openAccount({ input, context: actionContext(user, idempotencyKey) });
      return done(`Account ${result.accounts[0]?.id ?? ''} opened`, result);
    },
  });
}

export async function depositAction(_previous: ActionState<MovementResult>, formData: FormData) {
  return runAction({
    permission: 'funds:deposit',
    formData,
    schema: depositForm,
    resource: (fields) => fields.accountId,
    run: async ({ accountId, idempotencyKey, ...input }, user) => {
      const result = await depositFunds({
        accountId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done(`Deposit of ${movedAmount(result)} posted`, result);
    },
  });
}

export async function withdrawAction(_previous: ActionState<MovementResult>, formData: FormData) {
  return runAction({
    permission: 'funds:withdraw',
    formData,
    schema: withdrawalForm,
    resource: (fields) => fields.accountId,
    run: async ({ accountId, idempotencyKey, ...input }, user) => {
      const result = await withdrawFunds({
        accountId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done(`Withdrawal of ${movedAmount(result)} posted`, result);
    },
  });
}

export async function transferAction(_previous: ActionState<MovementResult>, formData: FormData) {
  return runAction({
    permission: 'funds:transfer',
    formData,
    schema: transferForm,
    resource: (fields) => fields.fromAccountId,
    run: async ({ idempotencyKey, ...input }, user) => {
      const result = await transferFunds({ input, context: actionContext(user, idempotencyKey) });
      return done(`Transfer of ${movedAmount(result)} to ${input.toAccountId} posted`, result);
    },
  });
}

export async function reverseChargeAction(
  _previous: ActionState<MovementResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'charges:reverse',
    formData,
    schema: reversalForm,
    resource: (fields) => fields.originalEventId,
    run: async ({ idempotencyKey, ...input }, user) => {
      const result = await reverseCharge({ input, context: actionContext(user, idempotencyKey) });
      return done(`Reversal of ${movedAmount(result)} posted`, result);
    },
  });
}

export async function recordCorrectionAction(
  _previous: ActionState<MovementResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'accounts:correct',
    formData,
    schema: correctionForm,
    resource: (fields) => fields.accountId,
    run: async ({ accountId, idempotencyKey, ...input }, user) => {
      const result = await recordCorrection({
        accountId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done(`Correction recorded on ${accountId}`, result);
    },
  });
}

export async function freezeAccountAction(
  _previous: ActionState<MovementResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'accounts:freeze',
    formData,
    schema: freezeForm,
    resource: (fields) => fields.accountId,
    run: async ({ accountId, idempotencyKey, ...input }, user) => {
      const result = await freezeAccount({
        accountId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done(`Account ${accountId} frozen`, result);
    },
  });
}

export async function unfreezeAccountAction(
  _previous: ActionState<MovementResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'accounts:unfreeze',
    formData,
    schema: freezeForm,
    resource: (fields) => fields.accountId,
    run: async ({ accountId, idempotencyKey, ...input }, user) => {
      const result = await unfreezeAccount({
        accountId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done(`Account ${accountId} unfrozen`, result);
    },
  });
}
