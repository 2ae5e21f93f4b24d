import { unfreezeAccount } from '@/lib/server/commands/unfreeze-account';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam } from '@/lib/server/http/account-id-param';
import { accountReply, commandContext } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.unfreeze, async (input) =>
  accountReply(
    await unfreezeAccount({
      accountId: accountIdParam(input.params.id),
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
