'use client';

import { useActionState, useCallback, useState } from 'react';
import {
  changeRoleAction,
  createUserAction,
  setUserDisabledAction,
} from '@/lib/actions/user-actions';
import { IDLE, type ActionState } from '@/lib/actions/action-state';
import { ROLE_LABELS, ROLES, type Role } from '@/lib/auth/permissions';
import { MIN_PASSWORD_LENGTH } from '@/lib/schemas/user-inputs';
import { ActionFormElement } from '../ui/action-form-element';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { DialogContent, DialogRoot, DialogTrigger } from '../ui/dialog';
import { Field, Select, TextInput, controlProps } from '../ui/field';
import { useToast } from '../ui/toaster';

type UserAction = (previous: ActionState<null>, formData: FormData) => Promise<ActionState<null>>;

/** Wraps an action so its outcome is announced as soon as it resolves. */
function useReportedAction(action: UserAction, onSuccess?: () => void) {
  const toast = useToast();
  const reported = useCallback(
    async (previous: ActionState<null>, formData: FormData) => {
      const next = await action(previous, formData);
      if (next.status !== 'idle')
        toast({
          title: next.message,
          tone: next.status === 'error' ? 'error' : 'success',
        });
      if (next.status === 'success') onSuccess?.();
      return next;
    },
    [action, toast, onSuccess],
  );
  return useActionState(reported, IDLE);
}

export function RoleControl({
  userId,
  email,
  role,
  disabled,
}: {
  userId: string;
  /** Names the controls for a screen reader: every row has a "Role" and a "Save". */
  email: string;
  role: Role;
  disabled: boolean;
}) {
  const [, action, pending] = useReportedAction(changeRoleAction);
  return (
    <ActionFormElement action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <Select
        id={`role-${userId}`}
        name="role"
        defaultValue={role}
        className="w-32"
        disabled={disabled}
      >
        {ROLES.map((option) => (
          <option key={option} value={option}>
            {ROLE_LABELS[option]}
          </option>
        ))}
      </Select>
      <Button
        type="submit"
        size="sm"
        variant="secondary"
        disabled={pending || disabled}
        aria-label={`Save role of ${email}`}
      >
        Save
      </Button>
    </ActionFormElement>
  );
}

export function DisableControl({
  userId,
  name,
  email,
  isDisabled,
  isSelf,
}: {
  userId: string;
  name: string;
  email: string;
  isDisabled: boolean;
  isSelf: boolean;
}) {
  const [, action, pending] = useReportedAction(setUserDisabledAction);
  const who = `${name} (${email})`;
  return (
    <ConfirmDialog
      trigger={
        <Button
          size="sm"
          variant={isDisabled ? 'secondary' : 'danger'}
          disabled={pending || isSelf}
          aria-label={`${isDisabled ? 'Enable' : 'Disable'} ${email}`}
        >
          {isDisabled ? 'Enable' : 'Disable'}
        </Button>
      }
      title={isDisabled ? `Enable ${name}?` : `Disable ${name}?`}
      description={
        isDisabled
          ? `${who} can sign in again, with their current password and role.`
          : `${who} is signed out at their next click and cannot sign in until an admin enables them again. What they recorded stays as it is.`
      }
      confirmLabel={isDisabled ? 'Enable user' : 'Disable user'}
      confirmVariant={isDisabled ? 'primary' : 'danger'}
      fields={{ userId, disabled: isDisabled ? 'false' : 'true' }}
      action={action}
    />
  );
}

export function CreateUserDialog() {
  const [open, setOpen] = useState(false);
  return (
    <DialogRoot open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm">Add user</Button>
      </DialogTrigger>
      {open ? (
        <DialogContent
          title="Add user"
          description="They sign in with this email and password; ask them to keep the password safe."
        >
          <CreateUserForm onDone={() => setOpen(false)} />
        </DialogContent>
      ) : null}
    </DialogRoot>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const [state, action, pending] = useReportedAction(createUserAction, onDone);
  const errors = state.status === 'error' ? state.fieldErrors : {};
  return (
    <ActionFormElement action={action} className="space-y-4" noValidate>
      <Field name="email" label="Email" error={errors.email}>
        <TextInput {...controlProps('email', errors.email)} type="email" autoComplete="off" />
      </Field>
      <Field name="name" label="Name" error={errors.name}>
        <TextInput {...controlProps('name', errors.name)} autoComplete="off" />
      </Field>
      <Field name="role" label="Role" error={errors.role}>
        <Select {...controlProps('role', errors.role)} defaultValue="support">
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {ROLE_LABELS[option]}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        name="password"
        label="Password"
        error={errors.password}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
      >
        <TextInput
          {...controlProps('password', errors.password, true)}
          type="password"
          autoComplete="new-password"
        />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </Button>
      </div>
    </ActionFormElement>
  );
}
