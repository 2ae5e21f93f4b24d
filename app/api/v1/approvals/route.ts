import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { toApprovalResource } from '@/lib/server/http/to-api-resources';
import { listApprovals } from '@/lib/server/approvals/read-approvals';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.listApprovals, async ({ query }) => {
  const items = await listApprovals(query);
  return { status: 200, body: { items: items.map(toApprovalResource) } };
});
