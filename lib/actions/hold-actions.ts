'use server';

// Server actions behind the account page's hold controls: place a hold, capture all or part of
// one, release one. Each checks its own permission (support and admins), validates with the
// shared schemas and calls one use case; the form's idempotency key makes a double click count
// once.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/actions/action-state';
import { formatAmount } from '@/lib/ledger/money';
import { captureHold } from '@/lib/server/commands/capture-hold';
import { placeHold } from '@/lib/server/commands/place-hold';
import { releaseHold } from '@/lib/server/commands/release-hold';
import { actionContext } from '@/lib/server/actions/action-context';
import { runAction } from '@/lib/server/actions/run-action';
import type { CommandResult } from '@/lib/server/pipeline/command-result';
import { captureHoldForm, placeHoldForm, releaseHoldForm } from '@/lib/schemas/ledger-forms';

export interface HoldActionResult {
  readonly holdId: string;
  readonly eventIds: string[];
}

function amountOf(minor: bigint, result: CommandResult): string {
  const currency = result.holds[0]?.currency ?? result.accounts[0]?.currency;
  return currency ? `${formatAmount(minor, currency, { grouping: true })} ${currency}` : '';
}

function done(message: string, result: CommandResult): { message: string; data: HoldActionResult } {
  for (const account of result.accounts) revalidatePath(`/accounts/${account.id}`);
  revalidatePath('/accounts');
  return {
    message: result.replayed ? `${message} (already recorded; nothing was done twice)` : message,
    data: {
      holdId: result.holds[0]?.id ?? '',
      eventIds: result.events.map((event) => event.eventId),
    },
  };
}

export async function placeHoldAction(
  _previous: ActionState<HoldActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'holds:place',
    formData,
    schema: placeHoldForm,
    resource: (fields) => fields.accountId,
    run: async ({ accountId, idempotencyKey, ...input }, user) => {
      const result = await placeHold({
        accountId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      return done(`Hold of ${amountOf(result.holds[0]?.amountMinor ?? 0n, result)} placed`, result);
    },
  });
}

export async function captureHoldAction(
  _previous: ActionState<HoldActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'holds:capture',
    formData,
    schema: captureHoldForm,
    resource: (fields) => fields.holdId,
    run: async ({ holdId, idempotencyKey, ...input }, user) => {
      const result = await captureHold({
        holdId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      const captured = result.events[0]?.data as { amountMinor?: string } | undefined;
      return done(
        `${amountOf(BigInt(captured?.amountMinor ?? '0'), result)} of the hold captured`,
        result,
      );
    },
  });
}

export async function releaseHoldAction(
  _previous: ActionState<HoldActionResult>,
  formData: FormData,
) {
  return runAction({
    permission: 'holds:release',
    formData,
    schema: releaseHoldForm,
    resource: (fields) => fields.holdId,
    run: async ({ holdId, idempotencyKey, ...input }, user) => {
      const result = await releaseHold({
        holdId,
        input,
        context: actionContext(user, idempotencyKey),
      });
      const freed = result.events[0]?.data as { amountMinor?: string } | undefined;
      return done(
        `Hold released: ${amountOf(BigInt(freed?.amountMinor ?? '0'), result)} available again`,
        result,
      );
    },
  });
}
