import { API } from '@/lib/server/http/api-contract';
import { approvalDecisionRoute } from '@/lib/server/http/api-helpers';
import { cancelRequest } from '@/lib/server/approvals/cancel-request';

export const dynamic = 'force-dynamic';

export const POST = approvalDecisionRoute(
  API.cancelApproval,
  (approvalId, { body }, context, person) =>
    cancelRequest({ approvalId, by: person, reason: body.reason, context }),
);
