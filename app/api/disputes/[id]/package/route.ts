import { requirePermission } from '@/lib/server/auth/require-permission';
import { getPool } from '@/lib/server/db/pool';
import { buildDisputePackage } from '@/lib/server/disputes/build-dispute-package';
import { disputeNotFound } from '@/lib/server/disputes/find-dispute-case';
import { jsonRoute } from '@/lib/server/http/json-route';

export const dynamic = 'force-dynamic';

/** A case's evidence package (ZIP), for the case page's "Download evidence package". */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    await requirePermission('disputes:read', { resource: id });
    const built = await buildDisputePackage({ disputeId: id, pool: getPool() });
    if (!built) throw disputeNotFound(id);
    return new Response(new Uint8Array(built.bytes), {
      headers: {
        'Content-Type': 'application/zip',
        'Content-Length': String(built.bytes.byteLength),
        'Content-Disposition': `attachment; filename="${built.fileName}"`,
        'Cache-Control': 'no-store',
      },
    });
  });
}
