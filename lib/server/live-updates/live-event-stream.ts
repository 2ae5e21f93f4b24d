// The body of a live-update stream (server-sent events) for the back office. It is pull-based:
// the next page of the log is read only when the client has taken the previous one, so a client
// that stops reading holds at most one page in this process, however much is written meanwhile.
// A client that has fallen too far behind — on reconnection, or by reading too slowly — is told
// to `reset` (reload the page and start again from now) instead of being replayed the backlog.

import type { Queryable } from '../db/pool';
import { encodeCheckpoint } from '../event-store/checkpoint-token';
import { followGlobalLog } from '../event-store/follow-global-log';
import { headPosition, type GlobalCheckpoint } from '../event-store/read-global-log';
import type { RecordedEvent } from '../event-store/types';
import type { Notifier } from '../notifications/notifier';

export const DEFAULT_RESUME_LIMIT_EVENTS = 10_000;
const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting after the stream ends. */
const RECONNECT_MS = 2_000;

export interface LiveEventStreamOptions {
  readonly db: Queryable;
  readonly notifier: Notifier;
  readonly start: GlobalCheckpoint;
  /** Whether `start` came from the client (a resumption), so it may be too far behind. */
  readonly isResumption: boolean;
  /**
   * Which streams' events are sent (an account's; a case's and its account's; every case's); null:
   * all. Every page still moves the resume point on.
   */
  readonly wantsStream: ((streamId: string) => boolean) | null;
  /** Beyond this many events behind the head, the client is told to reset. */
  readonly resumeLimitEvents: number;
  /** Ends the stream (sign-out, session expiry, user disabled, client gone). */
  readonly signal: AbortSignal;
  readonly onError: (error: unknown) => void;
  /** Called once when the stream ends, however it ends. */
  readonly onEnd: () => void;
  readonly pollIntervalMs?: number;
}

export function createLiveEventStream(options: LiveEventStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = followGlobalLog({
    db: options.db,
    notifier: options.notifier,
    after: options.start,
    idleMs: HEARTBEAT_MS,
    onError: options.onError,
    signal: options.signal,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  let isFirstPull = true;
  let hasEnded = false;

  async function end(controller?: ReadableStreamDefaultController<Uint8Array>, last?: string) {
    if (hasEnded) return;
    hasEnded = true;
    await pages.return(undefined);
    options.onEnd();
    if (controller) {
      if (last) controller.enqueue(encoder.encode(last));
      controller.close();
    }
  }

  async function isTooFarBehind(checkpoint: GlobalCheckpoint): Promise<boolean> {
    const head = await headPosition(options.db);
    return head - checkpoint.globalPosition > BigInt(options.resumeLimitEvents);
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (isFirstPull) {
            isFirstPull = false;
            if (options.isResumption && (await isTooFarBehind(options.start))) {
              await end(controller, RESET_MESSAGE);
              return;
            }
            controller.enqueue(encoder.encode(`retry: ${RECONNECT_MS}\n\n`));
            return;
          }
          const next = await pages.next();
          if (next.done) {
            await end(controller);
            return;
          }
          const page = next.value;
          if (page.isFull && (await isTooFarBehind(page.checkpoint))) {
            await end(controller, RESET_MESSAGE);
            return;
          }
          controller.enqueue(encoder.encode(formatPage(page.events, page.checkpoint, options)));
        } catch (error) {
          // A stream cancelled while a read was in flight has nothing left to report.
          if (hasEnded) return;
          options.onError(error);
          await end(controller);
        }
      },
      async cancel() {
        await end();
      },
    },
    // One page queued at most: the next is read only once the client has taken this one.
    { highWaterMark: 1 },
  );
}

const RESET_MESSAGE = `event: reset\ndata: {"reason":"too_far_behind"}\n\n`;

function formatPage(
  events: readonly RecordedEvent[],
  checkpoint: GlobalCheckpoint,
  options: Pick<LiveEventStreamOptions, 'wantsStream'>,
): string {
  if (events.length === 0) return ': keep-alive\n\n';
  let text = '';
  for (const event of events) {
    if (options.wantsStream && !options.wantsStream(event.streamId)) continue;
    const payload = {
      eventId: event.eventId,
      streamId: event.streamId,
      version: event.streamVersion,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
    };
    text += `id: ${encodeCheckpoint({ transactionId: event.transactionId, globalPosition: event.globalPosition })}\nevent: ledger\ndata: ${JSON.stringify(payload)}\n\n`;
  }
  // Even when this page's events were filtered out, move the client's resume point on.
  return `${text}id: ${encodeCheckpoint(checkpoint)}\n\n`;
}
