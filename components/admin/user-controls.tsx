'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { changeRoleAction, createUserAction, setUserDisabledAction } from '@/app/(back-office)/admin/users/actions';
import { IDLE, type ActionState } from '@/lib/actions/action-state';
import { ROLE_LABELS, ROLES, type Role } from '@/lib/auth/permissions';
import { Button } from '../ui/button';
import { DialogContent, DialogRoot, DialogTrigger } from '../ui/dialog';
import { Field, Select, TextInput, controlProps } from '../ui/field';
import { useToast } from '../ui/toaster';

function useReport(state: ActionState<null>, onSuccess?: () => void) {
  const toast = useToast();
  const seen = useRef(0);
  useEffect(() => {
    if (state.status === 'idle' || seen.current === state.at) return;
    seen.current = state.at;
    toast({ title: state.message, tone: state.status === 'success' ? 'success' : 'error' });
    if (state.status === 'success') onSuccess?.();
  }, [state, toast, onSuccess]);
}

export function RoleControl({ userId, role, disabled }: { userId: string; role: Role; disabled: boolean }) {
  const [state, action, pending] = useActionState(changeRoleAction, IDLE);
  useReport(state);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role
      </label>
      <Select id={`role-${userId}`} name="role" defaultValue={role} className="w-32" disabled={disabled}>
        {ROLES.map((option) => (
          <option key={option} value={option}>
            {ROLE_LABELS[option]}
          </option>
        ))}
      </Select>
      <Button type="submit" size="sm" variant="secondary" disabled={pending || disabled}>
        Save
      </Button>
    </form>
  );
}

export function DisableControl({ userId, isDisabled, isSelf }: { userId: string; isDisabled: boolean; isSelf: boolean }) {
  const [state, action, pending] = useActionState(setUserDisabledAction, IDLE);
  useReport(state);
  return (
    <form action={action}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={isDisabled ? 'false' : 'true'} />
      <Button type="submit" size="sm" variant={isDisabled ? 'secondary' : 'danger'} disabled={pending || isSelf}>
        {isDisabled ? 'Enable' : 'Disable'}
      </Button>
    </form>
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
        <DialogContent title="Add user" description="They sign in with this email and password; ask them to keep the password safe.">
          <CreateUserForm onDone={() => setOpen(false)} />
        </DialogContent>
      ) : null}
    </DialogRoot>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const [state, action, pending] = useActionState(createUserAction, IDLE);
  useReport(state, onDone);
  const errors = state.status === 'error' ? state.fieldErrors : {};
  return (
    <form action={action} className="space-y-4" noValidate>
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
      <Field name="password" label="Password" error={errors.password} hint="At least 12 characters.">
        <TextInput {...controlProps('password', errors.password, true)} type="password" autoComplete="new-password" />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </Button>
      </div>
    </form>
  );
}
