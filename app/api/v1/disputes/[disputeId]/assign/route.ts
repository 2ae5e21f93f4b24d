import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { assignDispute } from '@/lib/server/disputes/assign-dispute';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.assignDispute, async (input) =>
  disputeReply(
    await assignDispute({
      disputeId: input.params.disputeId ?? '',
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
