import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { listAdminActions } from '@/lib/server/queries/list-admin-actions';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.listAdminActions, async ({ query }) => {
  const page = await listAdminActions({
    limit: query.limit,
    ...(query.before ? { beforePosition: BigInt(query.before) } : {}),
  });
  return {
    status: 200,
    body: {
      items: page.actions.map((action) => ({
        id: action.eventId,
        type: action.type,
        actor: action.actor,
        subject: action.subject,
        before: action.before,
        after: action.after,
        occurredAt: action.occurredAt.toISOString(),
        position: action.globalPosition.toString(),
      })),
      nextCursor: page.nextBeforePosition?.toString() ?? null,
    },
  };
});
