import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { resolveDispute } from '@/lib/server/disputes/resolve-dispute';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.resolveDispute, async (input) =>
  disputeReply(
    await resolveDispute({
      disputeId: input.params.disputeId ?? '',
      outcome: input.body.outcome,
      note: input.body.note,
      context: commandContext(input),
    }),
    200,
  ),
);
