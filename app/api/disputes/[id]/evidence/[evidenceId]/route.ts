import { AppError } from '@/lib/errors';
import { EVIDENCE_CONTENT_TYPES } from '@/lib/ledger/dispute/dispute-rules';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { getDisputeFile } from '@/lib/server/disputes/read-disputes';
import { jsonRoute } from '@/lib/server/http/json-route';

export const dynamic = 'force-dynamic';

/** A name safe inside a quoted header parameter: ASCII letters, digits and a few marks. */
function plainFileName(name: string): string {
  const plain = name.replace(/[^A-Za-z0-9._ -]/g, '_').trim();
  return plain === '' || /^[._]+$/.test(plain) ? 'evidence' : plain;
}

/** RFC 5987's encoding, for the name as it was uploaded (any language), beside the plain one. */
function encodedFileName(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*!]/g,
    (mark) => `%${mark.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * An evidence file of a case, for the case page's "View" and "Download" links and image previews.
 * Served as the type its bytes were checked to be when it was uploaded, never sniffed, and
 * sandboxed: opened on its own it can run nothing and reach nothing.
 */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string; evidenceId: string }> },
) {
  return jsonRoute(async () => {
    const { id, evidenceId } = await params;
    await requirePermission('disputes:read', { resource: id });
    const file = await getDisputeFile(id, evidenceId);
    if (!file) throw new AppError('not_found', 'This case has no such evidence file.');
    const contentType = (EVIDENCE_CONTENT_TYPES as readonly string[]).includes(file.contentType)
      ? file.contentType
      : 'application/octet-stream';
    const name = plainFileName(file.fileName);
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        'Content-Type': contentType,
        'Content-Length': String(file.bytes.byteLength),
        'Content-Disposition': `inline; filename="${name}"; filename*=UTF-8''${encodedFileName(file.fileName)}`,
        'X-Content-Type-Options': 'nosniff',
        // proxy.ts puts the API policy plus `sandbox` on these paths; this says the same
        // wherever the proxy does not run.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      },
    });
  });
}
