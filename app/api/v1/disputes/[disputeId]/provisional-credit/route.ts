import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { giveProvisionalCredit } from '@/lib/server/disputes/give-provisional-credit';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.giveProvisionalCredit, (disputeId, { body }, context) =>
  giveProvisionalCredit({ disputeId, input: body, context }),
);
