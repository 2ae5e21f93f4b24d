// Live updates for the back office, as server-sent events. The stream starts from a durable
// checkpoint — the Last-Event-ID a reconnecting browser sends, or `after`, or now — and follows
// the global log in commit-safe order, woken by Redis (or in-process) notifications and polling
// as a fallback. A client that reconnects with its Last-Event-ID misses nothing.

import { accountStreamId } from '@/lib/ledger/events';
import { ACCOUNT_ID_PATTERN } from '@/lib/ledger/limits';
import { isUserStillAllowed } from '@/lib/server/auth/is-user-still-allowed';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { getPool } from '@/lib/server/db/pool';
import { decodeCheckpoint, encodeCheckpoint } from '@/lib/server/event-store/checkpoint-token';
import { followGlobalLog } from '@/lib/server/event-store/follow-global-log';
import { currentCheckpoint } from '@/lib/server/event-store/read-global-log';
import { jsonRoute } from '@/lib/server/http/json-route';
import { errorMessage, logLine } from '@/lib/server/log';
import { getNotifier } from '@/lib/server/notifications/notifier';

export const dynamic = 'force-dynamic';

const HEARTBEAT_MS = 15_000;
/** How often a stream re-checks that its user may still read: a disabled user is cut off within it. */
const RECHECK_MS = Number(process.env.CHRONICLE_STREAM_RECHECK_MS) || 30_000;

export async function GET(request: Request) {
  return jsonRoute(async () => {
    const user = await requirePermission('accounts:read');
    const url = new URL(request.url);
    const account = url.searchParams.get('account');
    const streamFilter =
      account && ACCOUNT_ID_PATTERN.test(account) ? accountStreamId(account) : null;
    const start =
      decodeCheckpoint(request.headers.get('last-event-id')) ??
      decodeCheckpoint(url.searchParams.get('after')) ??
      (await currentCheckpoint(getPool()));

    const encoder = new TextEncoder();
    const abort = new AbortController();
    request.signal.addEventListener('abort', () => abort.abort());
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          if (!abort.signal.aborted) controller.enqueue(encoder.encode(text));
        };
        send('retry: 2000\n\n');
        const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
        const recheck = setInterval(() => {
          void isUserStillAllowed(user.id, 'accounts:read').then(
            (allowed) => {
              if (!allowed) abort.abort();
            },
            () => undefined,
          );
        }, RECHECK_MS);
        void followGlobalLog({
          db: getPool(),
          notifier: getNotifier(),
          after: start,
          signal: abort.signal,
          onEvents: (events, checkpoint) => {
            for (const event of events) {
              if (streamFilter && event.streamId !== streamFilter) continue;
              const payload = {
                eventId: event.eventId,
                streamId: event.streamId,
                version: event.streamVersion,
                type: event.type,
                occurredAt: event.occurredAt.toISOString(),
              };
              send(
                `id: ${encodeCheckpoint({ transactionId: event.transactionId, globalPosition: event.globalPosition })}\nevent: ledger\ndata: ${JSON.stringify(payload)}\n\n`,
              );
            }
            // Even when this page's events were filtered out, move the client's resume point on.
            send(`id: ${encodeCheckpoint(checkpoint)}\n\n`);
          },
          onError: (error) =>
            logLine('warn', 'live update read failed', { error: errorMessage(error) }),
        }).finally(() => {
          clearInterval(heartbeat);
          clearInterval(recheck);
          try {
            controller.close();
          } catch {
            // Already closed by the client going away.
          }
        });
      },
      cancel() {
        abort.abort();
      },
    });
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  });
}
