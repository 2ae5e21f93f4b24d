import { depositFunds } from '@/lib/server/commands/deposit-funds';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam } from '@/lib/server/http/account-id-param';
import { commandContext, movementReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.deposit, async (input) =>
  movementReply(
    await depositFunds({
      accountId: accountIdParam(input.params.id),
      input: input.body,
      context: commandContext(input),
    }),
    201,
  ),
);
