'use client';

// The account page's hold controls: place a hold (an authorisation), capture all or part of one,
// release one. The server decides everything; these forms only collect input.

import {
  captureHoldAction,
  placeHoldAction,
  releaseHoldAction,
  type HoldActionResult,
} from '@/lib/actions/hold-actions';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { MAX_HOLD_DAYS } from '@/lib/ledger/limits';
import { formatAmount } from '@/lib/ledger/money';
import { Field, TextInput, controlProps } from '../ui/field';
import { ActionForm, type FormAction } from './action-form';
import { AmountField, FormDialog, ReasonField, TextField } from './form-dialog';

export function PlaceHoldDialog({
  accountId,
  currency,
  availableMinor,
}: {
  accountId: string;
  currency: CurrencyCode;
  availableMinor: string;
}) {
  const available = formatAmount(BigInt(availableMinor), currency, { grouping: true });
  return (
    <FormDialog
      trigger="Place hold"
      title="Place hold"
      description={`Reserve an amount of ${accountId}, as a card authorisation does: it stays in the balance but cannot be withdrawn, transferred or held again until the hold is captured, released or expires. ${available} ${currency} is available.`}
    >
      {(close) => (
        <ActionForm<HoldActionResult>
          action={placeHoldAction as FormAction<HoldActionResult>}
          submitLabel="Place hold"
          pendingLabel="Placing…"
          hidden={{ accountId }}
          visibleFields={['amount', 'reason', 'reference', 'expiresAt']}
          onSuccess={close}
        >
          {(errors) => (
            <>
              <AmountField currency={currency} error={errors.amount} />
              <ReasonField error={errors.reason} />
              <TextField
                name="reference"
                label="Reference (optional)"
                error={errors.reference}
                placeholder="Authorisation code, order id…"
              />
              <Field
                name="expiresAt"
                label="Expires (optional, UTC)"
                error={errors.expiresAt}
                hint={`ISO 8601, e.g. 2026-12-04T18:00Z; at most ${MAX_HOLD_DAYS} days ahead. The hold stops reserving funds exactly then. Empty: until captured or released.`}
              >
                <TextInput
                  {...controlProps('expiresAt', errors.expiresAt)}
                  autoComplete="off"
                  placeholder="2026-12-04T18:00Z"
                />
              </Field>
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function CaptureHoldDialog({
  holdId,
  currency,
  remainingMinor,
  approvalNotice,
}: {
  holdId: string;
  currency: CurrencyCode;
  remainingMinor: string;
  /** Said before submitting when a capture this large waits for a second person. */
  approvalNotice?: string | undefined;
}) {
  const remaining = formatAmount(BigInt(remainingMinor), currency);
  return (
    <FormDialog
      trigger="Capture…"
      triggerVariant="ghost"
      title="Capture hold"
      description={`Post all or part of the hold as a charge to the account. ${formatAmount(BigInt(remainingMinor), currency, { grouping: true })} ${currency} can be captured; what you leave stays reserved until captured, released or expired.`}
    >
      {(close) => (
        <ActionForm<HoldActionResult>
          action={captureHoldAction as FormAction<HoldActionResult>}
          submitLabel="Capture"
          pendingLabel="Capturing…"
          hidden={{ holdId }}
          visibleFields={['amount']}
          onSuccess={close}
          notice={approvalNotice}
        >
          {(errors) => (
            <AmountField
              currency={currency}
              error={errors.amount}
              defaultValue={remaining}
              label="Amount to capture"
            />
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function ReleaseHoldDialog({
  holdId,
  currency,
  remainingMinor,
}: {
  holdId: string;
  currency: CurrencyCode;
  remainingMinor: string;
}) {
  return (
    <FormDialog
      trigger="Release…"
      triggerVariant="ghost"
      title="Release hold"
      description={`End the hold: the ${formatAmount(BigInt(remainingMinor), currency, { grouping: true })} ${currency} it still reserves becomes available again. Nothing is posted.`}
    >
      {(close) => (
        <ActionForm<HoldActionResult>
          action={releaseHoldAction as FormAction<HoldActionResult>}
          submitLabel="Release hold"
          pendingLabel="Releasing…"
          variant="danger"
          hidden={{ holdId }}
          visibleFields={['reason']}
          onSuccess={close}
        >
          {(errors) => <ReasonField error={errors.reason} />}
        </ActionForm>
      )}
    </FormDialog>
  );
}
