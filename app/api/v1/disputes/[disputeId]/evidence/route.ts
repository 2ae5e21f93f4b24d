import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { readUpload } from '@/lib/server/http/read-upload';
import { addDisputeEvidence } from '@/lib/server/disputes/add-dispute-evidence';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.addDisputeEvidence, async (disputeId, { request }, context) =>
  addDisputeEvidence({
    disputeId,
    upload: await readUpload(request, API.addDisputeEvidence.upload.field),
    context,
  }),
);
