// Live updates for the back office, as server-sent events. The stream starts from a durable
// checkpoint — the Last-Event-ID a reconnecting browser sends, or `after`, or now — and follows
// the global log in commit-safe order (lib/server/live-updates/live-event-stream.ts). It ends when
// the session signs out or expires, or the user loses access, wherever that happened (another
// worker, another instance: lib/server/live-updates/stream-registry.ts); each user may hold a few
// open per server.

import { AppError } from '@/lib/errors';
import { accountStreamId } from '@/lib/ledger/events';
import { ACCOUNT_ID_PATTERN, UUID_PATTERN } from '@/lib/ledger/limits';
import { getCurrentSession } from '@/lib/server/auth/current-user';
import { isUserStillAllowed } from '@/lib/server/auth/is-user-still-allowed';
import { userMay } from '@/lib/server/auth/require-permission';
import { decodeCheckpoint } from '@/lib/server/event-store/checkpoint-token';
import { currentCheckpoint } from '@/lib/server/event-store/read-global-log';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { jsonRoute } from '@/lib/server/http/json-route';
import {
  DEFAULT_RESUME_LIMIT_EVENTS,
  createLiveEventStream,
} from '@/lib/server/live-updates/live-event-stream';
import { registerStream, sessionNoticeMark } from '@/lib/server/live-updates/stream-registry';
import { errorMessage, logLine } from '@/lib/server/log';
import { getNotifier } from '@/lib/server/notifications/notifier';

export const dynamic = 'force-dynamic';

/** How often a stream re-checks that its user may still read and its session was not ended. */
const RECHECK_MS = positiveSetting('CHRONICLE_STREAM_RECHECK_MS', 30_000);
const RESUME_LIMIT_EVENTS = positiveSetting(
  'CHRONICLE_STREAM_RESUME_LIMIT',
  DEFAULT_RESUME_LIMIT_EVENTS,
);
/** setTimeout cannot wait longer than this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function positiveSetting(name: string, fallback: number): number {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

/** A checkpoint the client sent; a malformed one is refused once, not retried every second. */
function clientCheckpoint(token: string | null, name: string) {
  if (token === null || token === '') return null;
  const checkpoint = decodeCheckpoint(token);
  if (!checkpoint)
    throw new AppError('validation_error', `${name} is not a checkpoint this server issued.`);
  return checkpoint;
}

export async function GET(request: Request) {
  return jsonRoute(async () => {
    // Before the session is read: a sign-out announced from now until the stream is registered
    // makes the registry re-check it.
    const noticeMark = sessionNoticeMark();
    const session = await getCurrentSession();
    if (!session) throw new AppError('unauthorized', 'Your session has ended. Sign in again.');
    if (!(await userMay(session.user, 'accounts:read')))
      throw new AppError('forbidden', 'Your role does not allow this.');
    const url = new URL(request.url);
    const account = url.searchParams.get('account');
    if (account !== null && !ACCOUNT_ID_PATTERN.test(account))
      throw new AppError('validation_error', 'account is not an account id.');
    // `dispute=<id>`: that case's events; `dispute=all`: every case's (the queue).
    const dispute = url.searchParams.get('dispute');
    if (dispute !== null && dispute !== 'all' && !UUID_PATTERN.test(dispute))
      throw new AppError('validation_error', 'dispute is not a dispute id.');
    if (dispute !== null && !(await userMay(session.user, 'disputes:read')))
      throw new AppError('forbidden', 'Your role does not allow this.');
    const streamIds = new Set([
      ...(account ? [accountStreamId(account)] : []),
      ...(dispute && dispute !== 'all' ? [`dispute-${dispute}`] : []),
    ]);
    const wantsStream =
      dispute === 'all'
        ? (streamId: string) => streamId.startsWith('dispute-') || streamIds.has(streamId)
        : streamIds.size > 0
          ? (streamId: string) => streamIds.has(streamId)
          : null;
    const resumeFrom =
      clientCheckpoint(request.headers.get('last-event-id'), 'Last-Event-ID') ??
      clientCheckpoint(url.searchParams.get('after'), 'after');

    const abort = new AbortController();
    // Asks the database whether the stream may still run: periodically, and at once when another
    // process announces a sign-out or a change to the user (stream-registry.ts).
    const recheck = () => {
      void isUserStillAllowed(session.user.id, session, 'accounts:read').then(
        (allowed) => {
          if (!allowed) abort.abort();
        },
        () => undefined,
      );
    };
    const unregister = await registerStream(
      { userId: session.user.id, sessionId: session.sessionId, end: () => abort.abort(), recheck },
      noticeMark,
    );
    if (!unregister)
      throw new AppError(
        'rate_limited',
        'Too many live-update streams are open for your user. Close other Chronicle tabs and reload.',
      );
    // Made before anything can end the stream, so that ending it always clears them.
    const timers = [
      setTimeout(
        () => abort.abort(),
        Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt.getTime() - Date.now())),
      ),
      setInterval(recheck, RECHECK_MS),
    ];
    const onEnd = () => {
      for (const timer of timers) clearTimeout(timer);
      unregister();
    };
    abort.signal.addEventListener('abort', onEnd, { once: true });
    try {
      request.signal.addEventListener('abort', () => abort.abort());
      // A client that left while the stream was being set up aborted before anyone listened: its
      // place must be freed now, not when its session expires.
      if (request.signal.aborted) abort.abort();
      // One read session for the stream's life: it moves to the primary for good if its replica
      // fails or falls behind (read-pool.ts).
      const db = await sessionReads(session.user.id);
      const stream = createLiveEventStream({
        db,
        notifier: getNotifier(),
        start: resumeFrom ?? (await currentCheckpoint(db)),
        isResumption: resumeFrom !== null,
        wantsStream,
        resumeLimitEvents: RESUME_LIMIT_EVENTS,
        signal: abort.signal,
        onError: (error) =>
          logLine('warn', 'live update read failed', { error: errorMessage(error) }),
        onEnd: () => abort.abort(),
      });
      return new Response(stream, {
        headers: {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-cache, no-transform',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        },
      });
    } catch (error) {
      abort.abort();
      throw error;
    }
  });
}
