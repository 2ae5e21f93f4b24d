import { AppError } from '@/lib/errors';
import { getPool } from '@/lib/server/db/pool';
import { API } from '@/lib/server/http/api-contract';
import { toVerificationRunResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { getVerificationRun } from '@/lib/server/integrity/get-verification-run';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getFullVerification, async ({ params }) => {
  const run = await getVerificationRun({ id: params.id ?? '', db: getPool() });
  if (!run) throw new AppError('not_found', 'No full verification has this id.');
  return { status: 200, body: toVerificationRunResource(run) };
});
