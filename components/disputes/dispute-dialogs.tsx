'use client';

// The dialogs behind the dispute actions: open a case on a charge, and on a case assign it, add a
// note or a file, give provisional credit, submit the evidence, resolve, withdraw, write off what
// is still owed. Each posts to its server action; the server decides everything (these forms only
// collect input, and are shown only where the case's status allows the step).

import { useRouter } from 'next/navigation';
import type { ActionState } from '@/lib/actions/action-state';
import {
  addDisputeNoteAction,
  assignDisputeAction,
  giveProvisionalCreditAction,
  openDisputeAction,
  resolveDisputeAction,
  submitDisputeEvidenceAction,
  withdrawDisputeAction,
  writeOffShortfallAction,
  type DisputeActionResult,
} from '@/lib/actions/dispute-actions';
import { currencyExponent, type CurrencyCode } from '@/lib/ledger/currencies';
import {
  DISPUTE_REASON_CODES,
  DISPUTE_REASON_LABELS,
  EVIDENCE_MAX_BYTES,
  MAX_DUE_DAYS,
} from '@/lib/ledger/dispute/dispute-rules';
import { formatAmount } from '@/lib/ledger/money';
import { ActionForm, type FormAction } from '../ledger/action-form';
import { FormDialog, ReasonField } from '../ledger/form-dialog';
import { Field, Select, TextArea, TextInput, controlProps } from '../ui/field';

type DisputeAction = FormAction<DisputeActionResult>;

function money(minor: string, currency: CurrencyCode): string {
  return `${formatAmount(BigInt(minor), currency, { grouping: true })} ${currency}`;
}

/** An amount that may be left empty, with what an empty one means. */
function OptionalAmountField({
  label,
  currency,
  error,
  emptyMeans,
}: {
  label: string;
  currency: CurrencyCode;
  error?: string;
  emptyMeans: string;
}) {
  const decimals = currencyExponent(currency);
  return (
    <Field
      name="amount"
      label={`${label} (${currency}, optional)`}
      error={error}
      hint={`${emptyMeans} ${decimals === 0 ? 'Whole units, no decimals.' : `Up to ${decimals} decimals.`}`}
    >
      <TextInput
        {...controlProps('amount', error, true)}
        inputMode="decimal"
        autoComplete="off"
        placeholder={formatAmount(0n, currency)}
        className="amount"
      />
    </Field>
  );
}

function NoteField({ error, label }: { error?: string; label: string }) {
  return (
    <Field name="note" label={label} error={error}>
      <TextArea {...controlProps('note', error)} required />
    </Field>
  );
}

export function OpenDisputeDialog({
  chargeEventId,
  currency,
  chargeMinor,
  reversibleMinor,
  triggerVariant = 'ghost',
}: {
  chargeEventId: string;
  currency: CurrencyCode;
  chargeMinor: string;
  reversibleMinor: string;
  triggerVariant?: 'ghost' | 'secondary';
}) {
  const router = useRouter();
  const reversible = money(reversibleMinor, currency);
  return (
    <FormDialog
      trigger="Open dispute…"
      triggerVariant={triggerVariant}
      title="Open dispute"
      description={`Open a case for the customer's complaint about this ${money(chargeMinor, currency)} charge. The disputed amount is reserved on the charge until the case is resolved; ${reversible} can still be disputed.`}
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={openDisputeAction as DisputeAction}
          submitLabel="Open dispute"
          pendingLabel="Opening…"
          hidden={{ chargeEventId }}
          visibleFields={['amount', 'reasonCode', 'description', 'dueBy']}
          onSuccess={(state) => {
            close();
            router.push(`/disputes/${state.data.disputeId}`);
          }}
        >
          {(errors) => (
            <>
              <OptionalAmountField
                label="Disputed amount"
                currency={currency}
                error={errors.amount}
                emptyMeans={`Empty: everything still reversible, ${reversible}.`}
              />
              <Field name="reasonCode" label="Reason" error={errors.reasonCode}>
                <Select {...controlProps('reasonCode', errors.reasonCode)} defaultValue="">
                  <option value="" disabled>
                    Choose a reason
                  </option>
                  {DISPUTE_REASON_CODES.map((code) => (
                    <option key={code} value={code}>
                      {DISPUTE_REASON_LABELS[code]}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                name="description"
                label="What the customer says is wrong"
                error={errors.description}
              >
                <TextArea {...controlProps('description', errors.description)} required />
              </Field>
              <Field
                name="dueBy"
                label="Respond by (optional, UTC)"
                error={errors.dueBy}
                hint={`ISO 8601, e.g. 2026-12-04T18:00Z; at most ${MAX_DUE_DAYS} days ahead. Empty: the policy's days for the reason.`}
              >
                <TextInput
                  {...controlProps('dueBy', errors.dueBy, true)}
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

export function AssignDisputeDialog({
  disputeId,
  assignees,
  currentAssigneeId,
}: {
  disputeId: string;
  assignees: ReadonlyArray<{ id: string; label: string }>;
  currentAssigneeId: string | null;
}) {
  return (
    <FormDialog
      trigger={currentAssigneeId ? 'Reassign…' : 'Assign…'}
      title="Assign case"
      description="Give the case to a support user or admin; a new case then needs their response."
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={assignDisputeAction as DisputeAction}
          submitLabel="Assign"
          pendingLabel="Assigning…"
          hidden={{ disputeId }}
          visibleFields={['assigneeId']}
          onSuccess={close}
        >
          {(errors) => (
            <Field name="assigneeId" label="Assignee" error={errors.assigneeId}>
              <Select {...controlProps('assigneeId', errors.assigneeId)} defaultValue="">
                <option value="" disabled>
                  Choose someone
                </option>
                {assignees.map((assignee) => (
                  <option
                    key={assignee.id}
                    value={assignee.id}
                    disabled={assignee.id === currentAssigneeId}
                  >
                    {assignee.label}
                  </option>
                ))}
              </Select>
            </Field>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function AddNoteDialog({ disputeId }: { disputeId: string }) {
  return (
    <FormDialog
      trigger="Add note…"
      title="Add note"
      description="A note joins the case's evidence, staged until the evidence is submitted. It cannot be changed afterwards."
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={addDisputeNoteAction as DisputeAction}
          submitLabel="Add note"
          pendingLabel="Adding…"
          hidden={{ disputeId }}
          visibleFields={['text']}
          onSuccess={close}
        >
          {(errors) => (
            <Field name="text" label="Note" error={errors.text}>
              <TextArea {...controlProps('text', errors.text)} required className="min-h-32" />
            </Field>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

const TOO_LARGE = 'Evidence files are at most 5 MiB each.';

/**
 * The upload, checked in the browser first (a file beyond the limit is never sent), then posted to
 * the case's upload route — not a server action, whose body Next.js would read whole before
 * checking who sent it. Whatever fails on the way (the network, say) becomes a message in the
 * dialog rather than an error page.
 */
async function uploadEvidence(
  _previous: ActionState<DisputeActionResult>,
  formData: FormData,
): Promise<ActionState<DisputeActionResult>> {
  const at = Date.now();
  const file = formData.get('file');
  const refuse = (code: 'validation_error' | 'payload_too_large', message: string) =>
    ({ status: 'error', code, message, fieldErrors: { file: message }, at }) as const;
  if (!(file instanceof File) || file.size === 0)
    return refuse('validation_error', 'Choose a file to upload.');
  if (file.size > EVIDENCE_MAX_BYTES) return refuse('payload_too_large', TOO_LARGE);
  try {
    const disputeId = formData.get('disputeId');
    const response = await fetch(
      `/api/disputes/${encodeURIComponent(String(disputeId))}/evidence`,
      {
        method: 'POST',
        body: formData,
      },
    );
    return (await response.json()) as ActionState<DisputeActionResult>;
  } catch {
    return {
      status: 'error',
      code: 'internal_error',
      message: 'The file could not be sent. Check the connection and try again.',
      fieldErrors: {},
      at,
    };
  }
}

export function UploadEvidenceDialog({ disputeId }: { disputeId: string }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger="Upload evidence…"
      title="Upload evidence"
      description="A PDF, PNG or JPEG file of at most 5 MiB. It is kept by its SHA-256, which the case's history records, and is staged until the evidence is submitted."
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={uploadEvidence}
          submitLabel="Upload"
          pendingLabel="Uploading…"
          hidden={{ disputeId }}
          visibleFields={['file']}
          onSuccess={() => {
            close();
            // A server action refreshes the page by itself; a route does not.
            router.refresh();
          }}
        >
          {(errors) => (
            <Field name="file" label="File" error={errors.file}>
              <input
                {...controlProps('file', errors.file)}
                type="file"
                accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
              />
            </Field>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function ProvisionalCreditDialog({
  disputeId,
  currency,
  amountMinor,
}: {
  disputeId: string;
  currency: CurrencyCode;
  amountMinor: string;
}) {
  const disputed = money(amountMinor, currency);
  return (
    <FormDialog
      trigger="Give provisional credit…"
      title="Give provisional credit"
      description={`Credit the customer now, before the case is decided: final if the customer wins, taken back if not. At most the disputed ${disputed}.`}
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={giveProvisionalCreditAction as DisputeAction}
          submitLabel="Give credit"
          pendingLabel="Crediting…"
          hidden={{ disputeId }}
          visibleFields={['amount']}
          onSuccess={close}
        >
          {(errors) => (
            <OptionalAmountField
              label="Credit"
              currency={currency}
              error={errors.amount}
              emptyMeans={`Empty: the whole disputed ${disputed}.`}
            />
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function SubmitEvidenceDialog({
  disputeId,
  stagedCount,
}: {
  disputeId: string;
  stagedCount: number;
}) {
  return (
    <FormDialog
      trigger="Submit evidence…"
      title="Submit evidence"
      description={`Submit the ${stagedCount} staged note${stagedCount === 1 ? '' : 's'} and file${stagedCount === 1 ? '' : 's'}. The submitted set is fixed, and the case goes under review.`}
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={submitDisputeEvidenceAction as DisputeAction}
          submitLabel="Submit evidence"
          pendingLabel="Submitting…"
          hidden={{ disputeId }}
          visibleFields={[]}
          onSuccess={close}
        >
          {() => null}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function ResolveDisputeDialog({
  disputeId,
  currency,
  amountMinor,
  provisionalCreditMinor,
}: {
  disputeId: string;
  currency: CurrencyCode;
  amountMinor: string;
  provisionalCreditMinor: string;
}) {
  const refund = money((BigInt(amountMinor) - BigInt(provisionalCreditMinor)).toString(), currency);
  const credit = money(provisionalCreditMinor, currency);
  return (
    <FormDialog
      trigger="Resolve…"
      title="Resolve case"
      description={`Won: the customer is refunded ${refund} now (any provisional credit becomes final). Lost: the ${credit} of provisional credit is taken back as far as the available funds cover it; the rest stays owed by the account and is collected from money arriving later.`}
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={resolveDisputeAction as DisputeAction}
          submitLabel="Resolve case"
          pendingLabel="Resolving…"
          hidden={{ disputeId }}
          visibleFields={['outcome', 'note']}
          onSuccess={close}
        >
          {(errors) => (
            <>
              <Field name="outcome" label="Outcome" error={errors.outcome}>
                <Select {...controlProps('outcome', errors.outcome)} defaultValue="">
                  <option value="" disabled>
                    Choose the outcome
                  </option>
                  <option value="won">Won: the customer is refunded</option>
                  <option value="lost">Lost: no refund, provisional credit taken back</option>
                </Select>
              </Field>
              <NoteField error={errors.note} label="Note (required, kept in the case's history)" />
            </>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function WithdrawDisputeDialog({ disputeId }: { disputeId: string }) {
  return (
    <FormDialog
      trigger="Withdraw…"
      triggerVariant="ghost"
      title="Withdraw case"
      description="End the case because the customer withdrew it. Provisional credit is taken back as when a case is lost."
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={withdrawDisputeAction as DisputeAction}
          submitLabel="Withdraw case"
          pendingLabel="Withdrawing…"
          variant="danger"
          hidden={{ disputeId }}
          visibleFields={['note']}
          onSuccess={close}
        >
          {(errors) => (
            <NoteField error={errors.note} label="Note (required, kept in the case's history)" />
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function WriteOffDialog({
  disputeId,
  currency,
  outstandingMinor,
  approvalNotice,
}: {
  disputeId: string;
  currency: CurrencyCode;
  outstandingMinor: string;
  approvalNotice?: string | undefined;
}) {
  return (
    <FormDialog
      trigger="Write off…"
      triggerVariant="danger"
      title="Write off outstanding amount"
      description={`Stop collecting the ${money(outstandingMinor, currency)} the account still owes for this case. The loss is recorded with your reason.`}
    >
      {(close) => (
        <ActionForm<DisputeActionResult>
          action={writeOffShortfallAction as DisputeAction}
          submitLabel="Write off"
          pendingLabel="Writing off…"
          variant="danger"
          hidden={{ disputeId }}
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
