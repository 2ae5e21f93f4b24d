'use server';

// Integrity actions for the back office. runAction checks `integrity:reverify` (admins) itself.

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { ActionState } from './action-state';
import { runAction } from '../server/actions/run-action';
import { getPool } from '../server/db/pool';
import { requestFullVerification } from '../server/integrity/request-full-verification';

export async function requestFullVerificationAction(
  _previous: ActionState<{ runId: string } | null>,
  formData: FormData,
): Promise<ActionState<{ runId: string } | null>> {
  return runAction({
    permission: 'integrity:reverify',
    formData,
    schema: z.object({}),
    run: async (_input, user) => {
      const run = await requestFullVerification({ requestedBy: `user:${user.id}`, db: getPool() });
      revalidatePath('/audit');
      return {
        message:
          run.status === 'queued'
            ? 'Full verification queued'
            : 'A full verification is already running',
        data: { runId: run.id },
      };
    },
  });
}
