// Follows the global log from a durable checkpoint: reads everything committed after it, then
// waits for a wake-up notification or the poll interval, whichever comes first, and reads again.
// Notifications only shorten the wait; the poll makes a lost one cost latency, never an event.

import type { Queryable } from '../db/pool';
import type { Notifier } from '../notifications/notifier';
import { readGlobalLog, type GlobalCheckpoint } from './read-global-log';
import type { RecordedEvent } from './types';

export const DEFAULT_POLL_INTERVAL_MS = 1_000;
const PAGE_SIZE = 500;

export interface FollowOptions {
  readonly db: Queryable;
  readonly notifier: Notifier;
  readonly after: GlobalCheckpoint;
  /** Called with each page, in order; the follower waits for it before reading on. */
  readonly onEvents: (
    events: RecordedEvent[],
    checkpoint: GlobalCheckpoint,
  ) => void | Promise<void>;
  readonly onError?: (error: unknown) => void;
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
}

/** Starts following; resolves when `signal` aborts. */
export async function followGlobalLog(options: FollowOptions): Promise<void> {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let checkpoint = options.after;
  let woken = false;
  let wake: (() => void) | undefined;
  const unsubscribe = options.notifier.subscribe(() => {
    woken = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    while (!options.signal?.aborted) {
      woken = false;
      try {
        for (;;) {
          const page = await readGlobalLog(options.db, { after: checkpoint, limit: PAGE_SIZE });
          if (page.events.length === 0 || options.signal?.aborted) break;
          await options.onEvents(page.events, page.checkpoint);
          checkpoint = page.checkpoint;
        }
      } catch (error) {
        options.onError?.(error);
      }
      // A wake-up that arrived while we were reading means there may already be more to read.
      if (woken || options.signal?.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    unsubscribe();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
