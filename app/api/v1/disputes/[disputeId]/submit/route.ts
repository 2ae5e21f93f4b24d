import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { submitDisputeEvidence } from '@/lib/server/disputes/submit-dispute-evidence';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.submitDisputeEvidence, async (input) =>
  disputeReply(
    await submitDisputeEvidence({
      disputeId: input.params.disputeId ?? '',
      context: commandContext(input),
    }),
    200,
  ),
);
