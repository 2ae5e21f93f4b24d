import { AppError } from '@/lib/errors';
import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { toApprovalResource } from '@/lib/server/http/to-api-resources';
import { getApproval } from '@/lib/server/approvals/read-approvals';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getApproval, async ({ params }) => {
  const approvalId = params.approvalId ?? '';
  const approval = await getApproval(approvalId);
  if (!approval) throw new AppError('not_found', `Approval request ${approvalId} does not exist.`);
  return { status: 200, body: toApprovalResource(approval) };
});
