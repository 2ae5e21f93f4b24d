import { uploadEvidenceFromForm } from '@/lib/server/disputes/upload-evidence-from-form';
import { jsonRoute } from '@/lib/server/http/json-route';

export const dynamic = 'force-dynamic';

/**
 * The case page's "Upload evidence": a multipart form (the file, the case, an idempotency key),
 * answered with the form's state as JSON, as a server action would answer it.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    return Response.json(await uploadEvidenceFromForm(request, id), {
      headers: { 'Cache-Control': 'no-store' },
    });
  });
}
