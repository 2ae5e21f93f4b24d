import { API } from '@/lib/server/http/api-contract';
import { toDisputeResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { disputeNotFound } from '@/lib/server/disputes/find-dispute-case';
import { getDispute } from '@/lib/server/disputes/read-disputes';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getDispute, async ({ params }) => {
  const disputeId = params.disputeId ?? '';
  const dispute = await getDispute(disputeId);
  if (!dispute) throw disputeNotFound(disputeId);
  return { status: 200, body: toDisputeResource(dispute) };
});
