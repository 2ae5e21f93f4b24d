import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { resolveDispute } from '@/lib/server/disputes/resolve-dispute';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.resolveDispute, (disputeId, { body }, context) =>
  resolveDispute({ disputeId, outcome: body.outcome, note: body.note, context }),
);
