import { AppError } from '@/lib/errors';
import { API } from '@/lib/server/http/api-contract';
import { getPool } from '@/lib/server/db/pool';
import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import { apiReads } from '@/lib/server/http/commit-lsn';
import {
  accountEtag,
  toAccountAsOfResource,
  toAccountResource,
} from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { getAccount } from '@/lib/server/queries/get-account';
import { getAccountAt } from '@/lib/server/queries/get-account-at';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getAccount, async ({ request, caller, params, query }) => {
  const accountId = accountIdParam(params.id);
  if (!query.at && !query.knownAt) {
    const account = await getAccount({ accountId });
    if (!account) throw accountNotFound(accountId);
    return {
      status: 200,
      body: toAccountResource(account),
      headers: { ETag: accountEtag(account) },
    };
  }
  // knownAt alone asks what Chronicle showed then, as of then.
  const at = query.at ?? (query.knownAt as Date);
  const asOf = await getAccountAt({
    accountId,
    at,
    knownAt: query.knownAt,
    db: apiReads(request, caller),
  });
  if (asOf) return { status: 200, body: toAccountAsOfResource(asOf) };
  // No answer: the account may not exist, may not have existed yet then — or a replica may not
  // have seen it opened yet, so the primary is asked before saying either.
  const account = await getAccount({ accountId });
  if (!account) throw accountNotFound(accountId);
  const fromPrimary = await getAccountAt({ accountId, at, knownAt: query.knownAt, db: getPool() });
  if (fromPrimary) return { status: 200, body: toAccountAsOfResource(fromPrimary) };
  throw new AppError(
    'not_found',
    query.knownAt
      ? `Chronicle had no record of account ${accountId} as of ${at.toISOString()} by ${query.knownAt.toISOString()}; it was opened at ${account.openedAt.toISOString()}.`
      : `Account ${accountId} did not exist yet at ${at.toISOString()}; it was opened at ${account.openedAt.toISOString()}.`,
  );
});
