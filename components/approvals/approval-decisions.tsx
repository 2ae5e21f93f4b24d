'use client';

// The decisions on an approval request: approve (the held command runs now), reject with a
// reason, or — for its maker — cancel. Shown only to whom the page says may use them; the server
// checks everything again (the four-eyes rules are the decider's).

import { useRouter } from 'next/navigation';
import {
  approveRequestAction,
  cancelRequestAction,
  rejectRequestAction,
} from '@/lib/actions/approval-actions';
import { ActionForm } from '../ledger/action-form';
import { FormDialog, ReasonField } from '../ledger/form-dialog';
import { Field, TextArea, controlProps } from '../ui/field';

export function ApproveDialog({ approvalId, summary }: { approvalId: string; summary: string }) {
  const router = useRouter();
  return (
    <FormDialog
      trigger="Approve…"
      triggerVariant="primary"
      title="Approve this request"
      description={`${summary}. It runs now, once, against the account as it stands at this moment; if a rule refuses it now, nothing happens and the request stays pending.`}
    >
      {(close) => (
        <ActionForm<null>
          action={approveRequestAction}
          submitLabel="Approve and run"
          pendingLabel="Approving…"
          hidden={{ approvalId }}
          visibleFields={[]}
          onSuccess={() => {
            close();
            router.refresh();
          }}
        >
          {() => null}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function RejectDialog({ approvalId }: { approvalId: string }) {
  const router = useRouter();
  return (
    <FormDialog trigger="Reject…" triggerVariant="danger" title="Reject this request">
      {(close) => (
        <ActionForm<null>
          action={rejectRequestAction}
          submitLabel="Reject"
          pendingLabel="Rejecting…"
          variant="danger"
          hidden={{ approvalId }}
          visibleFields={['reason']}
          onSuccess={() => {
            close();
            router.refresh();
          }}
        >
          {(errors) => <ReasonField error={errors.reason} />}
        </ActionForm>
      )}
    </FormDialog>
  );
}

export function CancelDialog({ approvalId }: { approvalId: string }) {
  const router = useRouter();
  return (
    <FormDialog trigger="Cancel request…" title="Cancel your request">
      {(close) => (
        <ActionForm<null>
          action={cancelRequestAction}
          submitLabel="Cancel request"
          pendingLabel="Cancelling…"
          hidden={{ approvalId }}
          visibleFields={['reason']}
          onSuccess={() => {
            close();
            router.refresh();
          }}
        >
          {(errors) => (
            <Field name="reason" label="Reason (optional)" error={errors.reason}>
              <TextArea {...controlProps('reason', errors.reason)} />
            </Field>
          )}
        </ActionForm>
      )}
    </FormDialog>
  );
}
