import { AppError } from '@/lib/errors';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import {
  accountEtag,
  toAccountAsOfResource,
  toAccountResource,
} from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { getAccount } from '@/lib/server/queries/get-account';
import { getAccountAt } from '@/lib/server/queries/get-account-at';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getAccount, async ({ params, query }) => {
  const accountId = accountIdParam(params.id);
  const account = await getAccount({ accountId });
  if (!account) throw accountNotFound(accountId);
  if (!query.at && !query.knownAt)
    return {
      status: 200,
      body: toAccountResource(account),
      headers: { ETag: accountEtag(account) },
    };
  // knownAt alone asks what Chronicle showed then, as of then.
  const at = query.at ?? (query.knownAt as Date);
  const asOf = await getAccountAt({ accountId, at, knownAt: query.knownAt });
  if (!asOf)
    throw new AppError(
      'not_found',
      query.knownAt
        ? `Chronicle had no record of account ${accountId} as of ${at.toISOString()} by ${query.knownAt.toISOString()}; it was opened at ${account.openedAt.toISOString()}.`
        : `Account ${accountId} did not exist yet at ${at.toISOString()}; it was opened at ${account.openedAt.toISOString()}.`,
    );
  return { status: 200, body: toAccountAsOfResource(asOf) };
});
