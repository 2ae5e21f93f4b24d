import { auditFiltersSchema } from '@/lib/schemas/audit-filters';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { jsonRoute, readQuery } from '@/lib/server/http/json-route';
import { exportAuditCsv } from '@/lib/server/queries/export-audit-csv';

export const dynamic = 'force-dynamic';

/** The filtered audit log as CSV, streamed. */
export async function GET(request: Request) {
  return jsonRoute(async () => {
    const user = await requirePermission('audit:export');
    const filters = readQuery(request, auditFiltersSchema);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return new Response(exportAuditCsv({ filters, db: await sessionReads(user.id) }), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="chronicle-audit-${stamp}.csv"`,
        'Cache-Control': 'no-store',
      },
    });
  });
}
