import type { GlobalCheckpoint } from './read-global-log';

/** A checkpoint as one opaque token ("<transaction id>-<global position>"), for SSE ids and cursors. */
export function encodeCheckpoint(checkpoint: GlobalCheckpoint): string {
  return `${checkpoint.transactionId}-${checkpoint.globalPosition}`;
}

export function decodeCheckpoint(token: string | null | undefined): GlobalCheckpoint | null {
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(token ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) };
}
