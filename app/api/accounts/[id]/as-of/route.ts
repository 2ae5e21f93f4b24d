import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { accountRouteParam, jsonRoute } from '@/lib/server/http/json-route';
import { findAdjacentInstant } from '@/lib/server/queries/find-adjacent-instant';
import { getAccountAt } from '@/lib/server/queries/get-account-at';
import { toAsOfView } from '@/lib/server/views';

export const dynamic = 'force-dynamic';

const query = z.object({
  at: utcInstantSchema.optional(),
  step: z.enum(['first', 'previous', 'next', 'last']).optional(),
});

/**
 * The account as of an instant, for the time-travel slider. With `step`, first moves from `at` to
 * the neighbouring event's instant (first, previous, next or last event).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    await requirePermission('accounts:read', { resource: id });
    const accountId = accountRouteParam(id);
    const url = new URL(request.url);
    const parsed = query.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success)
      throw new AppError('validation_error', parsed.error.issues[0]?.message ?? 'Invalid query.');
    let at = parsed.data.at ?? null;
    if (parsed.data.step) {
      const stepped = await findAdjacentInstant({
        accountId,
        from: at ?? new Date(8.64e15),
        step: parsed.data.step,
      });
      at = stepped ?? at;
    }
    if (!at) throw new AppError('validation_error', 'Give an instant (at) or a step.');
    const asOf = await getAccountAt({ accountId, at });
    return Response.json(
      { at: at.toISOString(), asOf: asOf ? toAsOfView(asOf) : null },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  });
}
