'use server';

// User management. Admins only: runAction checks `users:manage` on every call.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/actions/action-state';
import { runAction } from '@/lib/server/actions/run-action';
import { createUser } from '@/lib/server/users/create-user';
import { updateUserAccess } from '@/lib/server/users/update-user-access';
import { changeRoleForm, createUserForm, setUserDisabledForm } from '@/lib/schemas/user-forms';
import { randomUUID } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { approvalRequirement } from '@/lib/ledger/approval/approval-policy';
import type { ApprovalKind } from '@/lib/ledger/approval/approval-rules';
import { approvalPolicy } from '@/lib/server/approvals/approval-policy-config';
import { holdAdminRoleGrant } from '@/lib/server/approvals/request-administrative-action';
import type { SessionUser } from '@/lib/server/auth/current-user';
import { findUserById } from '@/lib/server/users/find-user-by-email';

function approvalRequirementFor(kind: ApprovalKind) {
  return approvalRequirement(approvalPolicy(), { kind, amountMinor: null, currency: '' }) !== null;
}

function grantOf(user: { id: string; email: string }) {
  return { type: 'grant_admin_role' as const, userId: user.id, email: user.email };
}

function requestBy(actingUser: SessionUser) {
  const actor = `user:${actingUser.id}`;
  return {
    maker: { actor, userId: actingUser.id, email: actingUser.email, role: actingUser.role },
    idempotencyKey: randomUUID(),
  };
}

export async function createUserAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'users:manage',
    formData,
    schema: createUserForm,
    run: async (input, actingUser) => {
      // A new admin is a grant of the admin role: when the policy holds that, the user starts as
      // an auditor (read-only) and becomes admin once another admin approves.
      const heldAdmin = input.role === 'admin' && approvalRequirementFor('grant_admin_role');
      const user = await createUser({
        input: heldAdmin ? { ...input, role: 'auditor' } : input,
        actor: `user:${actingUser.id}`,
      });
      revalidatePath('/admin/users');
      if (heldAdmin) await holdAdminRoleGrant(grantOf(user), requestBy(actingUser));
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
      if (role === 'admin') {
        if (userId === actingUser.id)
          throw new AppError(
            'validation_error',
            'You cannot change your own role; ask another admin.',
          );
        const target = await findUserById(userId);
        if (!target) throw new AppError('not_found', 'No such user.');
        if (target.role !== 'admin')
          await holdAdminRoleGrant(grantOf(target), requestBy(actingUser));
      }
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
