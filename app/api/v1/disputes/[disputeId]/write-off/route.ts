import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { writeOffShortfall } from '@/lib/server/disputes/write-off-shortfall';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.writeOffDisputeShortfall, (disputeId, { body }, context) =>
  writeOffShortfall({ disputeId, input: body, context }),
);
