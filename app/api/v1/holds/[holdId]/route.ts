import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { holdNotFound } from '@/lib/server/commands/find-hold-account';
import { toHoldResource } from '@/lib/server/http/to-api-resources';
import { getHold } from '@/lib/server/queries/get-hold';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getHold, async ({ params }) => {
  const holdId = params.holdId ?? '';
  const hold = await getHold({ holdId });
  if (!hold) throw holdNotFound(holdId);
  return { status: 200, body: toHoldResource(hold) };
});
