import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { getPool } from '@/lib/server/db/pool';
import { buildDisputePackage } from '@/lib/server/disputes/build-dispute-package';
import { disputeNotFound } from '@/lib/server/disputes/find-dispute-case';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.getDisputePackage, async ({ params }) => {
  const disputeId = params.disputeId ?? '';
  const built = await buildDisputePackage({ disputeId, pool: getPool() });
  if (!built) throw disputeNotFound(disputeId);
  return {
    status: 200,
    body: built.bytes,
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${built.fileName}"`,
    },
  };
});
