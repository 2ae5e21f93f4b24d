import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import { API } from '@/lib/server/http/api-contract';
import { apiReads } from '@/lib/server/http/commit-lsn';
import { apiRoute } from '@/lib/server/http/api-route';
import { buildStatement } from '@/lib/server/statements/build-statement';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.accountStatement, async ({ request, caller, params, query }) => {
  const accountId = accountIdParam(params.id);
  const statement = await buildStatement({
    accountId,
    from: query.from,
    to: query.to ?? new Date(),
    knownAt: query.knownAt,
    db: apiReads(request, caller),
  });
  if (!statement) throw accountNotFound(accountId);
  return { status: 200, body: statement };
});
