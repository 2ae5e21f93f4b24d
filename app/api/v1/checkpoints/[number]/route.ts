import { AppError } from '@/lib/errors';
import { getCheckpoint } from '@/lib/server/checkpoints/stored-checkpoints';
import { getPool } from '@/lib/server/db/pool';
import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getCheckpoint, async ({ params }) => {
  const text = params.number ?? '';
  const number = /^\d{1,9}$/.test(text) ? Number(text) : 0;
  const signed = number > 0 ? await getCheckpoint({ db: getPool(), number }) : null;
  if (!signed)
    throw new AppError('not_found', `No checkpoint has the number "${text.slice(0, 20)}".`);
  return { status: 200, body: signed };
});
