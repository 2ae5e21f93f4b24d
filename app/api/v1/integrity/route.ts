import { getPool } from '@/lib/server/db/pool';
import { API } from '@/lib/server/http/api-contract';
import { toIntegrityReportResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { getIntegrityStatus } from '@/lib/server/integrity/get-integrity-status';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.integrity, async () => ({
  status: 200,
  body: toIntegrityReportResource(await getIntegrityStatus({ db: getPool() })),
}));
