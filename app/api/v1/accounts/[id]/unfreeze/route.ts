import { unfreezeAccount } from '@/lib/server/commands/unfreeze-account';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam, commandContext, commandHeaders } from '@/lib/server/http/api-helpers';
import { toAccountResource } from '@/lib/server/http/api-resources';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.unfreeze, async (input) => {
  const result = await unfreezeAccount({
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
