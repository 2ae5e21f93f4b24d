'use client';

import { useActionState, useCallback, useState } from 'react';
import { createApiKeyAction, revokeApiKeyAction } from '@/lib/actions/api-key-actions';
import { IDLE, type ActionState } from '@/lib/actions/action-state';
import { ROLE_LABELS, ROLES } from '@/lib/auth/permissions';
import { ActionFormElement } from '../ui/action-form-element';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { DialogContent, DialogRoot, DialogTrigger } from '../ui/dialog';
import { Field, Select, TextInput, controlProps } from '../ui/field';
import { useToast } from '../ui/toaster';

type CreatedKey = { key: string; name: string; approvalId?: string } | null;

export function CreateApiKeyDialog() {
  const [open, setOpen] = useState(false);
  return (
    <DialogRoot open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm">Create API key</Button>
      </DialogTrigger>
      {open ? (
        <DialogContent
          title="Create API key"
          description="The key is shown once, now. Chronicle keeps only its hash."
        >
          <CreateApiKeyForm onDone={() => setOpen(false)} />
        </DialogContent>
      ) : null}
    </DialogRoot>
  );
}

function CreateApiKeyForm({ onDone }: { onDone: () => void }) {
  const [state, action, pending] = useActionState<ActionState<CreatedKey>, FormData>(
    createApiKeyAction,
    IDLE,
  );
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  if (state.status === 'success' && state.data) {
    const key = state.data.key;
    return (
      <div className="space-y-4">
        <Field
          name="new-key"
          label={`Key for “${state.data.name}”`}
          hint={
            state.data.approvalId
              ? 'Copy it now; it cannot be shown again. It starts to work once another admin approves the request.'
              : "Copy it into the integration's secret store now; it cannot be shown again."
          }
        >
          <TextInput
            {...controlProps('new-key', undefined, true)}
            readOnly
            value={state.data.key}
            className="font-mono"
            data-testid="new-api-key"
            onFocus={(event) => event.currentTarget.select()}
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button
            variant="secondary"
            onClick={() => {
              // The clipboard needs a secure context; where it is refused, the button says so
              // and the field (selected on focus) is there for a manual copy.
              if (!navigator.clipboard) return setCopied('failed');
              navigator.clipboard.writeText(key).then(
                () => setCopied('copied'),
                () => setCopied('failed'),
              );
            }}
          >
            {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
          </Button>
          <Button onClick={onDone}>Done</Button>
        </div>
      </div>
    );
  }
  const errors = state.status === 'error' ? state.fieldErrors : {};
  return (
    <ActionFormElement action={action} className="space-y-4" noValidate>
      <Field
        name="name"
        label="Name"
        error={errors.name}
        hint="Which system uses it, e.g. “payments processor”."
      >
        <TextInput {...controlProps('name', errors.name, true)} autoComplete="off" />
      </Field>
      <Field
        name="expiresAt"
        label="Expires (optional)"
        error={errors.expiresAt}
        hint="The key stops working at 00:00 UTC on this date. Without a date it works until it is revoked."
      >
        <TextInput {...controlProps('expiresAt', errors.expiresAt)} type="date" />
      </Field>
      <Field name="role" label="Role" error={errors.role}>
        <Select {...controlProps('role', errors.role)} defaultValue="support">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </Select>
      </Field>
      {state.status === 'error' && Object.keys(errors).length === 0 ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {state.message}
        </p>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create key'}
        </Button>
      </div>
    </ActionFormElement>
  );
}

export function RevokeApiKeyButton({ id, name }: { id: string; name: string }) {
  const toast = useToast();
  const revoke = useCallback(
    async (previous: ActionState<null>, formData: FormData) => {
      const next = await revokeApiKeyAction(previous, formData);
      if (next.status !== 'idle')
        toast({ title: next.message, tone: next.status === 'success' ? 'success' : 'error' });
      return next;
    },
    [toast],
  );
  const [, action, pending] = useActionState(revoke, IDLE);
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="danger" disabled={pending} aria-label={`Revoke ${name}`}>
          {pending ? 'Revoking…' : 'Revoke'}
        </Button>
      }
      title={`Revoke the API key “${name}”?`}
      description="Every request made with this key is refused from now on. This cannot be undone: the system that uses it will need a new key."
      confirmLabel="Revoke key"
      fields={{ id }}
      action={action}
    />
  );
}
