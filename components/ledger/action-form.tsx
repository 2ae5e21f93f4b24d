'use client';

// A form bound to a server action: it carries its own idempotency key (so a double click or a
// retry posts once), shows field errors next to their fields and other errors above the button,
// and reports success with a toast.

import { useActionState, useCallback, useState, type ReactNode } from 'react';
import { IDLE, type ActionState } from '@/lib/actions/action-state';
import type { FieldErrors } from '@/lib/errors';
import { ActionFormElement } from '../ui/action-form-element';
import { Button } from '../ui/button';
import { useToast } from '../ui/toaster';

export type FormAction<T> = (
  previous: ActionState<T>,
  formData: FormData,
) => Promise<ActionState<T>>;

export function ActionForm<T>({
  action,
  submitLabel,
  pendingLabel,
  variant = 'primary',
  hidden = {},
  visibleFields,
  onSuccess,
  notice,
  children,
}: {
  action: FormAction<T>;
  submitLabel: string;
  pendingLabel: string;
  variant?: 'primary' | 'danger';
  hidden?: Record<string, string>;
  /** The fields this form shows; errors about any other field are shown above the button. */
  visibleFields: readonly string[];
  onSuccess?: (state: Extract<ActionState<T>, { status: 'success' }>) => void;
  /** Said before submitting: that the approval policy may hold this command, say. */
  notice?: string | undefined;
  children: (fieldErrors: FieldErrors) => ReactNode;
}) {
  const toast = useToast();
  // Success is reported when the action resolves, not in an effect: the page the action
  // revalidates may replace this form (a Freeze button becomes Unfreeze) before an effect could run.
  const reportingAction = useCallback(
    async (previous: ActionState<T>, formData: FormData) => {
      const next = await action(previous, formData);
      if (next.status === 'success') {
        toast({ title: next.message, tone: 'success' });
        onSuccess?.(next);
      }
      if (next.status === 'pending_approval')
        toast({ title: 'Sent for approval', tone: 'success' });
      return next;
    },
    [action, toast, onSuccess],
  );
  const [state, formAction, pending] = useActionState<ActionState<T>, FormData>(
    reportingAction,
    IDLE,
  );
  // One key per intended movement: kept across retries and double clicks of this form. Forms live
  // in dialogs that unmount them on success, so the next movement gets a new form and a new key.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const fieldErrors = state.status === 'error' ? state.fieldErrors : {};
  const otherFieldMessages = Object.entries(fieldErrors)
    .filter(([field]) => !visibleFields.includes(field))
    .map(([, message]) => message);
  let generalError: string | null = null;
  if (
    state.status === 'error' &&
    (otherFieldMessages.length > 0 || Object.keys(fieldErrors).length === 0)
  ) {
    generalError =
      state.code === 'validation_error' && otherFieldMessages.length
        ? otherFieldMessages.join(' ')
        : state.message;
  }
  return (
    <ActionFormElement action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {notice ? (
        <p
          role="note"
          className="rounded-md bg-sky-50 p-3 text-sm text-sky-900"
          data-testid="approval-notice"
        >
          {notice}
        </p>
      ) : null}
      {children(fieldErrors)}
      {state.status === 'pending_approval' ? (
        <div
          role="status"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="approval-pending"
        >
          <p>{state.message}</p>
          <a className="font-medium underline" href={`/approvals/${state.approvalId}`}>
            Open the approval request
          </a>
        </div>
      ) : null}
      {generalError ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800"
          data-testid="form-error"
        >
          {generalError}
        </p>
      ) : null}
      <div className="flex justify-end">
        <Button
          type="submit"
          variant={variant}
          disabled={pending || state.status === 'pending_approval'}
        >
          {pending ? pendingLabel : submitLabel}
        </Button>
      </div>
    </ActionFormElement>
  );
}
