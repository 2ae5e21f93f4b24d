import { getPool } from '@/lib/server/db/pool';
import { verifyIntegrity } from '@/lib/server/event-store/verify-integrity';
import { API } from '@/lib/server/http/api-contract';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(API.integrity, async () => {
  const report = await verifyIntegrity(getPool());
  const broken = report.firstBroken;
  return {
    status: 200,
    body: {
      ok: report.ok,
      checkedEvents: report.checkedEvents,
      ...(broken
        ? {
            firstBroken: {
              streamId: broken.streamId,
              streamVersion: broken.streamVersion,
              eventId: broken.eventId,
              position: broken.globalPosition.toString(),
              reason: broken.reason,
              detail: broken.detail,
            },
          }
        : {}),
    },
  };
});
