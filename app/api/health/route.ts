import { checkHealth } from '@/lib/server/queries/check-health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness for load balancers and monitors; deliberately unauthenticated. */
export async function GET() {
  const report = await checkHealth();
  return Response.json(report, {
    status: report.database === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
