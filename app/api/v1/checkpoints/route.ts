import { getPool } from '@/lib/server/db/pool';
import { listCheckpoints } from '@/lib/server/checkpoints/stored-checkpoints';
import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.listCheckpoints, async ({ query }) => {
  const items = await listCheckpoints({
    db: getPool(),
    afterNumber: query.after,
    limit: query.limit,
  });
  return {
    status: 200,
    body: { items, next: items[items.length - 1]?.checkpoint.number ?? query.after },
  };
});
