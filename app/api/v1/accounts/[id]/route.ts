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
  if (!query.at)
    return {
      status: 200,
      body: toAccountResource(account),
      headers: { ETag: accountEtag(account) },
    };
  const asOf = await getAccountAt({ accountId, at: query.at });
  if (!asOf)
    throw new AppError(
      'not_found',
      `Account ${accountId} did not exist yet at ${query.at.toISOString()}; it was opened at ${account.openedAt.toISOString()}.`,
    );
  return { status: 200, body: toAccountAsOfResource(asOf) };
});
