import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import { sessionSnapshot } from '@/lib/server/http/commit-lsn';
import { jsonRoute, readQuery } from '@/lib/server/http/json-route';
import {
  getBalanceHistoryHead,
  getBalanceHistoryWindow,
} from '@/lib/server/queries/get-balance-history';

export const dynamic = 'force-dynamic';

const query = z
  .object({
    at: utcInstantSchema.optional(),
    window: z
      .string()
      .regex(/^\d{1,6}$/, 'The window is a whole number.')
      .transform(Number)
      .optional(),
  })
  .refine((value) => value.at === undefined || value.window === undefined, {
    message: 'Ask for a window or an instant, not both.',
  });

/**
 * The account's balance history for the time-travel slider to keep in the browser
 * (docs/decisions/015-instant-slider.md). Without `window`: the directory of windows, every
 * backdated correction, and the window around `at` (or the last one). With `window`: that window.
 * Authorized exactly as the as-of route: the slider shows nothing the reader may not see there.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    const user = await requirePermission('accounts:read', { resource: id });
    const accountId = accountIdParam(id);
    const { at, window } = readQuery(request, query);
    // A heavy time-travel read: on a replica when there is one (with the user's own writes).
    const inSnapshot = await sessionSnapshot(user.id);
    const body =
      window === undefined
        ? await getBalanceHistoryHead({ accountId, at, inSnapshot })
        : await getBalanceHistoryWindow({ accountId, index: window, inSnapshot });
    if (!body) {
      if (window === undefined) throw accountNotFound(accountId);
      throw new AppError('not_found', `Account ${accountId} has no window ${window}.`);
    }
    return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
  });
}
