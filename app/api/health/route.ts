import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';
import { checkHealth } from '@/lib/server/queries/check-health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness for load balancers and monitors; deliberately unauthenticated. */
export const GET = apiRoute(API.health, async () => {
  const report = await checkHealth();
  return { status: report.database === 'ok' ? 200 : 503, body: report };
});
