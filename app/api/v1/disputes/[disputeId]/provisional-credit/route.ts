import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { giveProvisionalCredit } from '@/lib/server/disputes/give-provisional-credit';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.giveProvisionalCredit, async (input) =>
  disputeReply(
    await giveProvisionalCredit({
      disputeId: input.params.disputeId ?? '',
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
