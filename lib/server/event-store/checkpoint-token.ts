import { MAX_INT64 } from '../../ledger/limits';
import type { GlobalCheckpoint } from './read-global-log';

/** The largest transaction id PostgreSQL's xid8 holds. */
const MAX_XID8 = 18_446_744_073_709_551_615n;

/** A checkpoint as one opaque token ("<transaction id>-<global position>"), for SSE ids and cursors. */
export function encodeCheckpoint(checkpoint: GlobalCheckpoint): string {
  return `${checkpoint.transactionId}-${checkpoint.globalPosition}`;
}

/**
 * The checkpoint a token names; null when the token is absent, malformed, or out of the range
 * the database can hold (such a token was never issued by Chronicle).
 */
export function decodeCheckpoint(token: string | null | undefined): GlobalCheckpoint | null {
  const match = /^(\d{1,20})-(\d{1,19})$/.exec(token ?? '');
  if (!match?.[1] || !match[2]) return null;
  const checkpoint = { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) };
  if (checkpoint.transactionId > MAX_XID8 || checkpoint.globalPosition > MAX_INT64) return null;
  return checkpoint;
}
