import { AppError } from '@/lib/errors';
import { auditFiltersSchema } from '@/lib/schemas/audit-filters';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { jsonRoute } from '@/lib/server/http/json-route';
import { exportAuditCsv } from '@/lib/server/queries/export-audit-csv';

export const dynamic = 'force-dynamic';

/** The filtered audit log as CSV, streamed. */
export async function GET(request: Request) {
  return jsonRoute(async () => {
    await requirePermission('audit:export');
    const parsed = auditFiltersSchema.safeParse(
      Object.fromEntries(new URL(request.url).searchParams),
    );
    if (!parsed.success)
      throw new AppError('validation_error', parsed.error.issues[0]?.message ?? 'Invalid filters.');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return new Response(exportAuditCsv({ filters: parsed.data }), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="chronicle-audit-${stamp}.csv"`,
        'Cache-Control': 'no-store',
      },
    });
  });
}
