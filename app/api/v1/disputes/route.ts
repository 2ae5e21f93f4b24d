import { API } from '@/lib/server/http/api-contract';
import { commandContext, disputeReply } from '@/lib/server/http/api-helpers';
import { toDisputeResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { openDispute } from '@/lib/server/disputes/open-dispute';
import { listDisputes } from '@/lib/server/disputes/read-disputes';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.openDispute, async (input) => {
  const result = await openDispute({ input: input.body, context: commandContext(input) });
  return disputeReply(result, 201, {
    Location: `/api/v1/disputes/${result.disputes[0]?.id ?? ''}`,
  });
});

export const GET = apiRoute(API.listDisputes, async ({ query }) => {
  const page = await listDisputes(query);
  return {
    status: 200,
    body: { items: page.items.map(toDisputeResource), nextCursor: page.nextCursor },
  };
});
