import { withdrawFunds } from '@/lib/server/commands/withdraw-funds';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam, commandContext, movementReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.withdraw, async (input) =>
  movementReply(
    await withdrawFunds({
      accountId: accountIdParam(input.params),
      input: input.body,
      context: commandContext(input),
    }),
    201,
  ),
);
