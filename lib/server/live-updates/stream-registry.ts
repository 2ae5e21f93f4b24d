// The live-update streams this process serves, by user and by session: which ones to end when a
// session signs out or a user loses access, and — through ./stream-slots.ts, counted for the
// whole server — how many a user may hold open at once.
//
// A stream lives in whichever worker (or instance) its connection reached, while the sign-out or
// the change to the user may happen anywhere. So every process listens on `chronicle_sessions`
// (migration 20261130020000_session_end_notices, on the process's one LISTEN connection,
// ../db/database-listener.ts): a notice names a session or a user, and this process re-checks
// those streams against the database at once, ending those that may no longer run. A notice is
// a hint, never the judge: a forged or repeated one costs a query. While the listener is not
// connected notices may be lost, so every stream is re-checked when it (re)connects; each
// stream's own periodic re-check (CHRONICLE_STREAM_RECHECK_MS) remains the safety net. A notice
// that arrives while a stream is being opened — after its session was read, before it is
// registered — finds nothing to re-check; a counter of notices tells, and the new stream is
// re-checked once.

import { getDatabaseListener, type DatabaseListener } from '../db/database-listener';
import { processStreamSlots, type StreamSlots } from './stream-slots';

export const SESSION_END_CHANNEL = 'chronicle_sessions';

export interface OpenStream {
  readonly userId: string;
  readonly sessionId: string;
  /** Ends the stream at once (this process signed the session out). */
  readonly end: () => void;
  /** Asks the database whether the stream may still run, and ends it if not. */
  readonly recheck: () => void;
}

const globalForStreams = globalThis as unknown as {
  chronicleLiveStreams?: Set<OpenStream>;
  chronicleSessionEndListener?: DatabaseListener | null;
  chronicleSessionNotices?: number;
};

function openStreams(): Set<OpenStream> {
  globalForStreams.chronicleLiveStreams ??= new Set();
  return globalForStreams.chronicleLiveStreams;
}

/**
 * Re-checks this process's streams named by a `chronicle_sessions` notice: `session:<id>` or
 * `user:<id>`. Anything else is ignored.
 */
export function recheckNamedStreams(notice: string): void {
  countNotice();
  const [kind, id] = notice.split(':', 2);
  if (!id || (kind !== 'session' && kind !== 'user')) return;
  for (const stream of openStreams())
    if ((kind === 'session' ? stream.sessionId : stream.userId) === id) stream.recheck();
}

/** Re-checks every stream of `userId` in this process (its access changed here). */
export function recheckUserStreams(userId: string): void {
  recheckNamedStreams(`user:${userId}`);
}

function recheckAll(): void {
  countNotice();
  for (const stream of openStreams()) stream.recheck();
}

function countNotice(): void {
  globalForStreams.chronicleSessionNotices = sessionNoticeMark() + 1;
}

/** How many notices (and reconnections) this process has had: taken before reading a session. */
export function sessionNoticeMark(): number {
  return globalForStreams.chronicleSessionNotices ?? 0;
}

/**
 * Delivers session-end notices to this process's streams; the first stream starts it (and the
 * first after the process's listener was replaced, as tests do when they close the database).
 */
function listenForSessionEnds(): void {
  const listener = getDatabaseListener();
  if (globalForStreams.chronicleSessionEndListener === listener) return;
  globalForStreams.chronicleSessionEndListener = listener;
  listener?.on(SESSION_END_CHANNEL, recheckNamedStreams);
  listener?.onReset(recheckAll);
}

/**
 * Registers a stream for `userId`; null when the user already holds the maximum on this server.
 * `end` is called if the session signs out in this process, `recheck` when a notice or a
 * reconnection says its session or user may have changed — and once now if any came since
 * `noticeMark` (sessionNoticeMark(), taken before the session was read). The returned function
 * unregisters the stream and frees its slot; call it when the stream ends (calling it again does
 * nothing).
 */
export async function registerStream(
  stream: OpenStream,
  noticeMark: number,
  slots: StreamSlots = processStreamSlots(),
): Promise<(() => void) | null> {
  listenForSessionEnds();
  const release = await slots.take(stream.userId);
  if (!release) return null;
  const entry = { ...stream };
  openStreams().add(entry);
  if (sessionNoticeMark() !== noticeMark) entry.recheck();
  return () => {
    openStreams().delete(entry);
    release();
  };
}

/** Ends every stream of a session that signed out in this process, without waiting for the notice. */
export function endSessionStreams(sessionId: string): void {
  for (const stream of openStreams()) if (stream.sessionId === sessionId) stream.end();
}
