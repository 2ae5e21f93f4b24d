import { freezeAccount } from '@/lib/server/commands/freeze-account';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam } from '@/lib/server/http/account-id-param';
import { accountReply, commandContext } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.freeze, async (input) =>
  accountReply(
    await freezeAccount({
      accountId: accountIdParam(input.params.id),
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
