import { z } from 'zod';
import { MAX_INT32 } from '@/lib/ledger/limits';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { accountIdParam } from '@/lib/server/http/account-id-param';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { jsonRoute, readQuery } from '@/lib/server/http/json-route';
import { readChargeStandings } from '@/lib/server/disputes/read-charge-standings';
import { actorsOf, describeActors } from '@/lib/server/queries/describe-actors';
import { listTimeline } from '@/lib/server/queries/list-timeline';
import { toTimelineEntryViewModel } from '@/lib/server/to-view-models';

export const dynamic = 'force-dynamic';

const query = z.object({ before: z.coerce.number().int().positive().max(MAX_INT32).optional() });

/** An older page of an account's timeline, for "Load older". */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    const user = await requirePermission('accounts:read', { resource: id });
    const accountId = accountIdParam(id);
    const { before } = readQuery(request, query, 'before must be a positive version number.');
    const page = await listTimeline({
      accountId,
      beforeVersion: before,
      limit: 50,
      db: await sessionReads(user.id),
    });
    const [labels, charges] = await Promise.all([
      describeActors({ actors: page.entries.flatMap((entry) => actorsOf(entry.event.metadata)) }),
      readChargeStandings({ eventIds: page.entries.map((entry) => entry.event.eventId) }),
    ]);
    return Response.json(
      {
        entries: page.entries.map((entry) => toTimelineEntryViewModel(entry, labels, charges)),
        nextBeforeVersion: page.nextBeforeVersion,
      },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  });
}
