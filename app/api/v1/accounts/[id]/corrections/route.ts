import { recordCorrection } from '@/lib/server/commands/record-correction';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam } from '@/lib/server/http/account-id-param';
import { commandContext, movementReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.recordCorrection, async (input) =>
  movementReply(
    await recordCorrection({
      accountId: accountIdParam(input.params.id),
      input: input.body,
      context: commandContext(input),
    }),
    201,
  ),
);
