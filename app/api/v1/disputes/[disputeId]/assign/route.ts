import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { assignDispute } from '@/lib/server/disputes/assign-dispute';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.assignDispute, (disputeId, { body }, context) =>
  assignDispute({ disputeId, input: body, context }),
);
