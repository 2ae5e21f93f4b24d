'use server';

// User management. Admins only: runAction checks `users:manage` on every call.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/actions/action-state';
import { runAction } from '@/lib/server/actions/run-action';
import { createUser } from '@/lib/server/users/create-user';
import { updateUserAccess } from '@/lib/server/users/update-user-access';
import { changeRoleForm, createUserForm, setUserDisabledForm } from '@/lib/schemas/user-forms';

export async function createUserAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'users:manage',
    formData,
    schema: createUserForm,
    run: async (input, actingUser) => {
      const user = await createUser({ input, actor: `user:${actingUser.id}` });
      revalidatePath('/admin/users');
      return { message: `${user.email} can now sign in as ${user.role}`, data: null };
    },
  });
}

export async function changeRoleAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'users:manage',
    formData,
    schema: changeRoleForm,
    resource: (fields) => fields.userId,
    run: async ({ userId, role }, actingUser) => {
      const user = await updateUserAccess({
        actingUserId: actingUser.id,
        userId,
        change: { role },
      });
      revalidatePath('/admin/users');
      return { message: `${user.email} is now ${user.role}`, data: null };
    },
  });
}

export async function setUserDisabledAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'users:manage',
    formData,
    schema: setUserDisabledForm,
    resource: (fields) => fields.userId,
    run: async ({ userId, disabled }, actingUser) => {
      const user = await updateUserAccess({
        actingUserId: actingUser.id,
        userId,
        change: { disabled },
      });
      revalidatePath('/admin/users');
      return {
        message: disabled
          ? `${user.email} is disabled and signed out`
          : `${user.email} can sign in again`,
        data: null,
      };
    },
  });
}
