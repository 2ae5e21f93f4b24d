import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { addDisputeNote } from '@/lib/server/disputes/add-dispute-note';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.addDisputeNote, async (input) =>
  disputeReply(
    await addDisputeNote({
      disputeId: input.params.disputeId ?? '',
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
