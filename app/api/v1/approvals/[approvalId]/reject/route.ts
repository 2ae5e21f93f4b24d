import { API } from '@/lib/server/http/api-contract';
import { approvalDecisionRoute } from '@/lib/server/http/api-helpers';
import { rejectRequest } from '@/lib/server/approvals/reject-request';

export const dynamic = 'force-dynamic';

export const POST = approvalDecisionRoute(
  API.rejectApproval,
  (approvalId, { body }, context, person) =>
    rejectRequest({ approvalId, checker: person, reason: body.reason, context }),
);
