import { freezeAccount } from '@/lib/server/commands/freeze-account';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam, commandContext, commandHeaders } from '@/lib/server/http/api-helpers';
import { toAccountResource } from '@/lib/server/http/api-resources';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.freeze, async (input) => {
  const result = await freezeAccount({
    accountId: accountIdParam(input.params),
    input: input.body,
    context: commandContext(input),
  });
  return {
    status: 200,
    body: toAccountResource(result.accounts[0] as NonNullable<(typeof result.accounts)[0]>),
    headers: commandHeaders(result),
  };
});
