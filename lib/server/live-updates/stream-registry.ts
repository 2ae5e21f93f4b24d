// The live-update streams this process serves, by user and by session: how many a user may hold
// open at once, and which ones to end when a session signs out. Counted per process: each app
// instance bounds its own connections and memory, which is what the limit protects.

export const DEFAULT_MAX_STREAMS_PER_USER = 6;

interface OpenStream {
  readonly userId: string;
  readonly sessionId: string;
  readonly end: () => void;
}

const globalForStreams = globalThis as unknown as { chronicleLiveStreams?: Set<OpenStream> };

function openStreams(): Set<OpenStream> {
  globalForStreams.chronicleLiveStreams ??= new Set();
  return globalForStreams.chronicleLiveStreams;
}

export function maxStreamsPerUser(): number {
  const configured = Number.parseInt(process.env.CHRONICLE_MAX_STREAMS_PER_USER ?? '', 10);
  return Number.isSafeInteger(configured) && configured > 0
    ? configured
    : DEFAULT_MAX_STREAMS_PER_USER;
}

/**
 * Registers a stream for `userId`; null when the user already holds the maximum. `end` is called
 * if the session signs out. The returned function unregisters the stream; call it exactly when
 * the stream ends.
 */
export function registerStream(stream: OpenStream): (() => void) | null {
  const streams = openStreams();
  let count = 0;
  for (const open of streams) if (open.userId === stream.userId) count += 1;
  if (count >= maxStreamsPerUser()) return null;
  const entry = { ...stream };
  streams.add(entry);
  return () => {
    streams.delete(entry);
  };
}

/** Ends every stream of a session that signed out. */
export function endSessionStreams(sessionId: string): void {
  for (const stream of openStreams()) if (stream.sessionId === sessionId) stream.end();
}
