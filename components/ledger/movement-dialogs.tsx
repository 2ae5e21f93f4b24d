'use client';

// The dialogs behind the account page's buttons: deposit, withdraw, transfer, reverse a charge,
// freeze and unfreeze, record a backdated correction, and opening an account. Each posts to its server action; the server
// decides everything (these forms only collect input).

import {
  depositAction,
  freezeAccountAction,
  openAccountAction,
  recordCorrectionAction,
  reverseChargeAction,
  transferAction,
  unfreezeAccountAction,
  withdrawAction,
  type MovementResult,
} from '@/lib/actions/account-actions';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { formatAmount } from '@/lib/ledger/money';
import { Field, Select, TextInput, controlProps } from '../ui/field';
import { ActionForm, type FormAction } from './action-form';
import { AmountField, FormDialog, ReasonField, TextField } from './form-dialog';

/** Deposits and withdrawals differ only in direction and in what the counterpart is called. */
const CASH_MOVEMENTS = {
  deposit: {
    trigger: 'Deposit',
    describe: (accountId: string) =>
      `Credit account ${accountId} with money arriving from outside the ledger.`,
    action: depositAction,
    submit: 'Post deposit',
    counterpart: { name: 'source', label: 'Source (optional)', placeholder: 'Wire, ACH, cash…' },
  },
  withdraw: {
    trigger: 'Withdraw',
    describe: (accountId: string) => `Debit account ${accountId} for money leaving the ledger.`,
    action: withdrawAction,
    submit: 'Post withdrawal',
    counterpart: {
      name: 'destination',
      label: 'Destination (optional)',
      placeholder: 'Card merchant, payout…',
    },
  },
} as const;

function CashFormDialog({
  kind,
  accountId,
  currency,
  approvalNotice,
}: {
  kind: keyof typeof CASH_MOVEMENTS;
  accountId: string;
  currency: CurrencyCode;
  approvalNotice?: string | undefined;
}) {
  const movement = CASH_MOVEMENTS[kind];
  const { counterpart } = movement;
  return (
    <FormDialog
      trigger={movement.trigger}
      title={movement.trigger}
      description={movement.describe(accountId)}
    >
      {(close) => (
        <ActionForm<MovementResult>
          action={movement.action as FormAction<MovementResult>}
          submitLabel={movement.submit}
          pendingLabel="Posting…"
          hidden={{ accountId }}
          visibleFields={['amount', counterpart.name, 'reference']}
          onSuccess={close}
          notice={approvalNotice}
        >
          {(errors) => (
            <>
              <AmountField currency={currency} error={errors.amount} />
              <TextField
                name={counterpart.name}
                label={counterpart.label}
                error={errors[counterpart.name]}
                placeholder={counterpart.placeholder}
              />
              <TextField name="reference" label="Reference (optional)" error={errors.reference} />
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

/** Where the approval policy may hold the dialog's command, what its form says first. */
type MayNeedApproval = { approvalNotice?: string | undefined };

export function DepositDialog(props: { accountId: string; currency: CurrencyCode }) {
  return <CashFormDialog kind="deposit" {...props} />;
}

export function WithdrawDialog(
  props: { accountId: string; currency: CurrencyCode } & MayNeedApproval,
) {
  return <CashFormDialog kind="withdraw" {...props} />;
}

export function TransferDialog({
  accountId,
  currency,
  approvalNotice,
}: {
  accountId: string;
  currency: CurrencyCode;
} & MayNeedApproval) {
  return (
    <FormDialog
      trigger="Transfer"
      title="Transfer"
      description={`Move money from ${accountId} to another ${currency} account. Both sides post together or not at all.`}
    >
      {(close) => (
        <ActionForm<MovementResult>
          action={transferAction as FormAction<MovementResult>}
          submitLabel="Post transfer"
          pendingLabel="Posting…"
          hidden={{ fromAccountId: accountId }}
          visibleFields={['toAccountId', 'amount', 'reference']}
          onSuccess={close}
          notice={approvalNotice}
        >
          {(errors) => (
            <>
              <TextField
                name="toAccountId"
                label="To account"
                error={errors.toAccountId}
                placeholder="acc_…"
              />
              <AmountField currency={currency} error={errors.amount} />
              <TextField name="reference" label="Reference (optional)" error={errors.reference} />
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function ReverseChargeDialog({
  eventId,
  currency,
  remainingMinor,
  chargeMinor,
  approvalNotice,
}: {
  eventId: string;
  currency: CurrencyCode;
  remainingMinor: string;
  chargeMinor: string;
} & MayNeedApproval) {
  const remaining = formatAmount(BigInt(remainingMinor), currency);
  return (
    <FormDialog
      trigger="Reverse…"
      triggerVariant="ghost"
      title="Reverse charge"
      description={`Credit back all or part of this ${formatAmount(BigInt(chargeMinor), currency, { grouping: true })} ${currency} charge. ${remaining} ${currency} can still be reversed.`}
    >
      {(close) => (
        <ActionForm<MovementResult>
          action={reverseChargeAction as FormAction<MovementResult>}
          submitLabel="Post reversal"
          pendingLabel="Posting…"
          hidden={{ originalEventId: eventId }}
          visibleFields={['amount', 'reason']}
          onSuccess={close}
          notice={approvalNotice}
        >
          {(errors) => (
            <>
              <AmountField
                currency={currency}
                error={errors.amount}
                defaultValue={remaining}
                label="Amount to reverse"
              />
              <ReasonField error={errors.reason} />
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

/** Freezing and unfreezing differ only in wording and in the action they post to. */
const STATUS_CHANGES = {
  freeze: {
    trigger: 'Freeze',
    variant: 'danger',
    title: 'Freeze account',
    description: 'Money can still arrive, but none can leave until the account is unfrozen.',
    action: freezeAccountAction,
    submit: 'Freeze account',
    pending: 'Freezing…',
  },
  unfreeze: {
    trigger: 'Unfreeze',
    variant: 'primary',
    title: 'Unfreeze account',
    description: 'Withdrawals and outgoing transfers will be allowed again.',
    action: unfreezeAccountAction,
    submit: 'Unfreeze account',
    pending: 'Unfreezing…',
  },
} as const;

function StatusChangeDialog({
  kind,
  accountId,
  approvalNotice,
}: {
  kind: keyof typeof STATUS_CHANGES;
  accountId: string;
} & MayNeedApproval) {
  const change = STATUS_CHANGES[kind];
  return (
    <FormDialog
      trigger={change.trigger}
      triggerVariant={kind === 'freeze' ? 'danger' : 'secondary'}
      title={change.title}
      description={change.description}
    >
      {(close) => (
        <ActionForm<MovementResult>
          action={change.action as FormAction<MovementResult>}
          submitLabel={change.submit}
          pendingLabel={change.pending}
          variant={change.variant}
          hidden={{ accountId }}
          visibleFields={['reason']}
          onSuccess={close}
          notice={approvalNotice}
        >
          {(errors) => <ReasonField error={errors.reason} />}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function FreezeDialog(props: { accountId: string } & MayNeedApproval) {
  return <StatusChangeDialog kind="freeze" {...props} />;
}

export function UnfreezeDialog(props: { accountId: string } & MayNeedApproval) {
  return <StatusChangeDialog kind="unfreeze" {...props} />;
}

/** A backdated correction: recorded now, effective at a past instant; admins, through approval. */
export function CorrectionDialog({
  accountId,
  currency,
  approvalNotice,
}: { accountId: string; currency: CurrencyCode } & MayNeedApproval) {
  return (
    <FormDialog
      trigger="Correct history…"
      title="Record a backdated correction"
      description={`A deposit or withdrawal on ${accountId} that should have taken effect at a past instant. History is not edited: the correction is a new event, and the account as known now counts it from that instant on, while what Chronicle showed before it was recorded stays visible.`}
    >
      {(close) => (
        <ActionForm<MovementResult>
          action={recordCorrectionAction as FormAction<MovementResult>}
          submitLabel="Record correction"
          pendingLabel="Recording…"
          hidden={{ accountId }}
          visibleFields={['kind', 'amount', 'effectiveAt', 'reason', 'correctsEventId']}
          onSuccess={close}
          notice={approvalNotice}
        >
          {(errors) => (
            <>
              <Field name="kind" label="Kind" error={errors.kind}>
                <Select {...controlProps('kind', errors.kind)} defaultValue="deposit">
                  <option value="deposit">Deposit (credit)</option>
                  <option value="withdrawal">Withdrawal (debit)</option>
                </Select>
              </Field>
              <AmountField currency={currency} error={errors.amount} />
              <Field
                name="effectiveAt"
                label="Effective at (UTC, ISO 8601)"
                error={errors.effectiveAt}
                hint="When it should have taken effect, e.g. 2026-03-03T09:00:00Z."
              >
                <TextInput
                  {...controlProps('effectiveAt', errors.effectiveAt, true)}
                  autoComplete="off"
                  placeholder="2026-03-03T09:00:00Z"
                />
              </Field>
              <ReasonField error={errors.reason} />
              <TextField
                name="correctsEventId"
                label="Corrects event (optional id)"
                error={errors.correctsEventId}
              />
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function OpenAccountDialog({ currencies }: { currencies: readonly CurrencyCode[] }) {
  return (
    <FormDialog trigger="Open account" triggerVariant="primary" title="Open account">
      {(close) => (
        <ActionForm<MovementResult>
          action={openAccountAction as FormAction<MovementResult>}
          submitLabel="Open account"
          pendingLabel="Opening…"
          visibleFields={['id', 'ownerId', 'currency', 'initialBalance']}
          onSuccess={close}
        >
          {(errors) => (
            <>
              <Field
                name="id"
                label="Account id (optional)"
                error={errors.id}
                hint="1–64 letters, digits, - or _. Generated when left empty."
              >
                <TextInput
                  {...controlProps('id', errors.id, true)}
                  autoComplete="off"
                  placeholder="acc_…"
                />
              </Field>
              <TextField name="ownerId" label="Owner" error={errors.ownerId} placeholder="cust_…" />
              <Field name="currency" label="Currency" error={errors.currency}>
                <Select {...controlProps('currency', errors.currency)} defaultValue="USD">
                  {currencies.map((code) => (
                    <option key={code} value={code}>
                      {code}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                name="initialBalance"
                label="Opening deposit (optional)"
                error={errors.initialBalance}
                hint="A decimal amount in the chosen currency."
              >
                <TextInput
                  {...controlProps('initialBalance', errors.initialBalance, true)}
                  inputMode="decimal"
                  autoComplete="off"
                  className="amount"
                />
              </Field>
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}
