'use server';

// API key management for admins: runAction checks `api-keys:manage` on every call. A new key is
// returned once, in this action's answer, and never again.

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from '@/lib/actions/action-state';
import { runAction } from '@/lib/server/actions/run-action';
import { createApiKey, createApiKeyInput } from '@/lib/server/api-keys/create-api-key';
import { revokeApiKey } from '@/lib/server/api-keys/revoke-api-key';

export async function createApiKeyAction(
  _previous: ActionState<{ key: string; name: string } | null>,
  formData: FormData,
) {
  return runAction({
    permission: 'api-keys:manage',
    formData,
    schema: createApiKeyInput,
    run: async (input, actingUser) => {
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
