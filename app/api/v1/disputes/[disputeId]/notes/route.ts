import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { addDisputeNote } from '@/lib/server/disputes/add-dispute-note';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.addDisputeNote, (disputeId, { body }, context) =>
  addDisputeNote({ disputeId, input: body, context }),
);
