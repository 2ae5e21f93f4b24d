import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { submitDisputeEvidence } from '@/lib/server/disputes/submit-dispute-evidence';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.submitDisputeEvidence, (disputeId, _request, context) =>
  submitDisputeEvidence({ disputeId, context }),
);
