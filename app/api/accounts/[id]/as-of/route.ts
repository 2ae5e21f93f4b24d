import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import { timeStepSchema } from '@/lib/schemas/time-travel';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { accountIdParam } from '@/lib/server/http/account-id-param';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { jsonRoute, readQuery } from '@/lib/server/http/json-route';
import { findAdjacentInstant } from '@/lib/server/queries/find-adjacent-instant';
import { getAccountAt } from '@/lib/server/queries/get-account-at';
import { toAsOfViewModel } from '@/lib/server/to-view-models';

export const dynamic = 'force-dynamic';

const query = z.object({
  at: utcInstantSchema.optional(),
  step: timeStepSchema.optional(),
});

/**
 * The account as of an instant, for the time-travel slider, on both time axes: as we know it now
 * (`asOf`), and as Chronicle showed it then (`asShownThen`: only what had been recorded by that
 * instant) — they differ where a backdated correction was recorded later. With `step`, first moves
 * from `at` to the neighbouring event's instant (first, previous, next or last event).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    const user = await requirePermission('accounts:read', { resource: id });
    const accountId = accountIdParam(id);
    const { at: requestedAt, step } = readQuery(request, query);
    const db = await sessionReads(user.id);
    let at = requestedAt ?? null;
    if (step) {
      const stepped = await findAdjacentInstant({
        accountId,
        // No instant yet means "from the end of time", so that previous finds the last event.
        from: at ?? new Date(8.64e15),
        step,
        db,
      });
      at = stepped ?? at;
    }
    if (!at) throw new AppError('validation_error', 'Give an instant (at) or a step.');
    const [asOf, asShownThen] = await Promise.all([
      getAccountAt({ accountId, at, db }),
      getAccountAt({ accountId, at, knownAt: at, db }),
    ]);
    return Response.json(
      {
        at: at.toISOString(),
        asOf: asOf ? toAsOfViewModel(asOf) : null,
        asShownThen: asShownThen ? toAsOfViewModel(asShownThen) : null,
      },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  });
}
