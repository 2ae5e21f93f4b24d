'use server';

// API key management for admins: runAction checks `api-keys:manage` on every call. A new key is
// returned once, in this action's answer, and never again.

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/actions/action-state';
import { runAction } from '@/lib/server/actions/run-action';
import { randomUUID } from 'node:crypto';
import { createApiKey, createApiKeyInput } from '@/lib/server/api-keys/create-api-key';
import { displayPrefix, generateApiKey, hashApiKey } from '@/lib/server/api-keys/api-key-secret';
import { isApprovalRequested } from '@/lib/server/approvals/approval-requested';
import { holdAdminApiKey } from '@/lib/server/approvals/request-administrative-action';
import { revokeApiKey } from '@/lib/server/api-keys/revoke-api-key';

export async function createApiKeyAction(
  _previous: ActionState<{ key: string; name: string; approvalId?: string } | null>,
  formData: FormData,
) {
  return runAction({
    permission: 'api-keys:manage',
    formData,
    schema: createApiKeyInput,
    run: async (
      input,
      actingUser,
    ): Promise<{ message: string; data: { key: string; name: string; approvalId?: string } }> => {
      if (input.role === 'admin') {
        // An admin key may need a second admin: the key is made now and shown once to its
        // maker, but stored (by its hash) only when the request is approved.
        const key = generateApiKey();
        const maker = {
          actor: `user:${actingUser.id}`,
          userId: actingUser.id,
          email: actingUser.email,
          role: actingUser.role,
        };
        try {
          await holdAdminApiKey(
            {
              type: 'create_admin_api_key',
              name: input.name,
              keyHash: hashApiKey(key),
              prefix: displayPrefix(key),
              ownerId: actingUser.id,
              expiresAt: input.expiresAt?.toISOString() ?? null,
            },
            { maker, idempotencyKey: randomUUID() },
          );
        } catch (error) {
          if (!isApprovalRequested(error)) throw error;
          revalidatePath('/approvals');
          return {
            message: `API key "${input.name}" waits for another admin's approval; it works once approved`,
            data: { key, name: input.name, approvalId: error.approval.id },
          };
        }
      }
      const created = await createApiKey({
        input,
        ownerId: actingUser.id,
        actor: `user:${actingUser.id}`,
      });
      revalidatePath('/admin/api-keys');
      return {
        message: `API key "${created.name}" created`,
        data: { key: created.key, name: created.name },
      };
    },
  });
}

export async function revokeApiKeyAction(_previous: ActionState<null>, formData: FormData) {
  return runAction({
    permission: 'api-keys:manage',
    formData,
    schema: z.strictObject({ id: z.uuid('Unknown key.') }),
    resource: (fields) => fields.id,
    run: async ({ id }, actingUser) => {
      const revoked = await revokeApiKey({ id, actor: `user:${actingUser.id}` });
      revalidatePath('/admin/api-keys');
      return { message: `API key "${revoked.name}" revoked`, data: null };
    },
  });
}
