import { API } from '@/lib/server/http/api-contract';
import { approvalDecisionRoute } from '@/lib/server/http/api-helpers';
import { approveRequest } from '@/lib/server/approvals/approve-request';

export const dynamic = 'force-dynamic';

export const POST = approvalDecisionRoute(
  API.approveApproval,
  (approvalId, _input, context, person) => approveRequest({ approvalId, checker: person, context }),
);
