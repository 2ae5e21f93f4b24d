import { getPool } from '@/lib/server/db/pool';
import { API } from '@/lib/server/http/api-contract';
import { toVerificationRunResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { requestFullVerification } from '@/lib/server/integrity/request-full-verification';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.requestFullVerification, async ({ caller }) => {
  const run = await requestFullVerification({ requestedBy: caller.actor, db: getPool() });
  return {
    status: 202,
    body: toVerificationRunResource(run),
    headers: { Location: `/api/v1/integrity/verifications/${run.id}` },
  };
});
