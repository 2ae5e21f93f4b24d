// Follows the global log from a durable checkpoint, as an async iterator of pages: each page is
// read only when the consumer asks for the next one, so a consumer that stops reading (a browser
// that never drains its live-update stream) stops the reads too — nothing piles up in memory.
//
// When the log has nothing new, the follower waits for a wake-up notification or the poll
// interval, whichever comes first, and reads again. Notifications only shorten the wait; the
// poll makes a lost one cost latency, never an event.

import type { Queryable } from '../db/pool';
import type { Notifier } from '../notifications/notifier';
import { readGlobalLog, type GlobalCheckpoint } from './read-global-log';
import type { RecordedEvent } from './types';

export const DEFAULT_POLL_INTERVAL_MS = 1_000;
export const FOLLOW_PAGE_SIZE = 500;

export interface FollowedPage {
  /** Empty when the follower was idle for `idleMs`: a chance to send a keep-alive. */
  readonly events: RecordedEvent[];
  /** Where to resume after this page. */
  readonly checkpoint: GlobalCheckpoint;
  /** True when the page was full, so more is probably waiting: the consumer is catching up. */
  readonly isFull: boolean;
}

export interface FollowOptions {
  readonly db: Queryable;
  readonly notifier: Notifier;
  readonly after: GlobalCheckpoint;
  readonly pollIntervalMs?: number;
  /** How long the follower waits without news before it yields an empty page. */
  readonly idleMs?: number;
  readonly pageSize?: number;
  /** Called when a read fails; the follower waits one poll interval and tries again. */
  readonly onError?: (error: unknown) => void;
  readonly signal?: AbortSignal;
}

/** Yields pages of committed events after `after`, in commit-safe order, until `signal` aborts. */
export async function* followGlobalLog(options: FollowOptions): AsyncGenerator<FollowedPage> {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const idleMs = options.idleMs ?? Number.POSITIVE_INFINITY;
  const pageSize = options.pageSize ?? FOLLOW_PAGE_SIZE;
  let checkpoint = options.after;
  let woken = false;
  let wake: (() => void) | undefined;
  const unsubscribe = options.notifier.subscribe(() => {
    woken = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  let quietSince = performance.now();
  try {
    while (!options.signal?.aborted) {
      woken = false;
      let events: RecordedEvent[];
      try {
        const page = await readGlobalLog(options.db, { after: checkpoint, limit: pageSize });
        events = page.events;
        checkpoint = page.checkpoint;
      } catch (error) {
        options.onError?.(error);
        await waitForWakeUp(pollIntervalMs);
        continue;
      }
      if (options.signal?.aborted) break;
      if (events.length > 0) {
        quietSince = performance.now();
        yield { events, checkpoint, isFull: events.length >= pageSize };
        continue;
      }
      const quietMs = performance.now() - quietSince;
      if (quietMs >= idleMs) {
        quietSince = performance.now();
        yield { events: [], checkpoint, isFull: false };
        continue;
      }
      // A wake-up that arrived while we were reading means there may already be more to read.
      if (woken) continue;
      await waitForWakeUp(Math.min(pollIntervalMs, idleMs - quietMs));
    }
  } finally {
    unsubscribe();
    options.signal?.removeEventListener('abort', onAbort);
  }

  function waitForWakeUp(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }
}
