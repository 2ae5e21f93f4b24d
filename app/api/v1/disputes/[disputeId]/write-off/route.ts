import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { writeOffShortfall } from '@/lib/server/disputes/write-off-shortfall';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.writeOffDisputeShortfall, async (input) =>
  disputeReply(
    await writeOffShortfall({
      disputeId: input.params.disputeId ?? '',
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
