import { API } from '@/lib/server/http/api-contract';
import { caseStepRoute } from '@/lib/server/http/api-helpers';
import { resolveDispute } from '@/lib/server/disputes/resolve-dispute';

export const dynamic = 'force-dynamic';

export const POST = caseStepRoute(API.withdrawDispute, (disputeId, { body }, context) =>
  resolveDispute({ disputeId, outcome: 'withdrawn', note: body.note, context }),
);
