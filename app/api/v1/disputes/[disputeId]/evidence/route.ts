import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { readUpload } from '@/lib/server/http/read-upload';
import { addDisputeEvidence } from '@/lib/server/disputes/add-dispute-evidence';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.addDisputeEvidence, async (input) =>
  disputeReply(
    await addDisputeEvidence({
      disputeId: input.params.disputeId ?? '',
      upload: await readUpload(input.request, API.addDisputeEvidence.upload.field),
      context: commandContext(input),
    }),
    200,
  ),
);
