import { AppError } from '@/lib/errors';
import { getEventProof } from '@/lib/server/checkpoints/get-event-proof';
import { getPool } from '@/lib/server/db/pool';
import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.eventProof, async ({ params }) => {
  const id = params.id ?? '';
  const proof = await getEventProof({ eventId: id, db: getPool() });
  if (!proof) throw new AppError('not_found', `No event has the id "${id.slice(0, 80)}".`);
  return { status: 200, body: proof };
});
