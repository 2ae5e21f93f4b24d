import { accountStreamId } from '@/lib/ledger/events';
import { getPool } from '@/lib/server/db/pool';
import { readStream } from '@/lib/server/event-store/read-stream';
import { API } from '@/lib/server/http/api-contract';
import { apiReads } from '@/lib/server/http/commit-lsn';
import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import { toEventResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { getAccount } from '@/lib/server/queries/get-account';
import { readAccountEventsAsOf } from '@/lib/server/queries/read-account-events-as-of';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.listAccountEvents, async ({ request, caller, params, query }) => {
  const accountId = accountIdParam(params.id);
  if (!(await getAccount({ accountId }))) throw accountNotFound(accountId);
  const events =
    query.at || query.knownAt
      ? await readAccountEventsAsOf(apiReads(request, caller), {
          accountId,
          afterVersion: query.afterVersion,
          limit: query.limit + 1,
          at: query.at,
          knownAt: query.knownAt,
        })
      : await readStream(getPool(), accountStreamId(accountId), {
          afterVersion: query.afterVersion,
          limit: query.limit + 1,
        });
  const page = events.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    status: 200,
    body: {
      items: page.map(toEventResource),
      nextCursor: events.length > query.limit && last ? String(last.streamVersion) : null,
    },
  };
});
