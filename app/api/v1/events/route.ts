import { AppError } from '@/lib/errors';
import { getPool } from '@/lib/server/db/pool';
import { apiFeedReads } from '@/lib/server/http/commit-lsn';
import { checkpointAtPosition, readGlobalLog } from '@/lib/server/event-store/read-global-log';
import { API } from '@/lib/server/http/api-contract';
import { toEventResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.eventFeed, async ({ request, caller, query }) => {
  // Consumers hold a plain position; the commit-safe order needs the (transaction, position) pair,
  // which the event at that position tells us. A replica behind the position the consumer got
  // (from the primary or another replica) does not know the event yet: the primary answers then.
  let reads = apiFeedReads(request, caller);
  let after = await checkpointAtPosition(reads, BigInt(query.after));
  if (!after) {
    reads = getPool();
    after = await checkpointAtPosition(reads, BigInt(query.after));
  }
  if (!after) {
    throw new AppError(
      'validation_error',
      `No event has the position ${query.after}; pass 0 or a position this feed returned.`,
      {
        fieldErrors: { after: 'Unknown position.' },
      },
    );
  }
  const page = await readGlobalLog(reads, { after, limit: query.limit });
  return {
    status: 200,
    body: {
      items: page.events.map(toEventResource),
      next: page.checkpoint.globalPosition.toString(),
    },
  };
});
