import { UUID_PATTERN } from '../../ledger/limits';
import { getPool } from '../db/pool';
import { endSessionStreams } from '../live-updates/stream-registry';

/**
 * Ends a session when its user signs out. The cookie is deleted by next-auth, but a copy of the
 * token (a stolen cookie, another tab's live stream) would stay valid until it expires; listing
 * the session here makes every later request with it fail, and its live streams in this process
 * end at once (other instances end theirs at their next re-check).
 */
export async function revokeSession(options: {
  sessionId: string;
  userId: string | undefined;
  expiresAt: Date;
}): Promise<void> {
  if (!UUID_PATTERN.test(options.sessionId)) return;
  await getPool().query(
    `INSERT INTO revoked_sessions (session_id, user_id, expires_at) VALUES ($1::uuid, $2::uuid, $3)
     ON CONFLICT (session_id) DO NOTHING`,
    [
      options.sessionId,
      options.userId && UUID_PATTERN.test(options.userId) ? options.userId : null,
      options.expiresAt,
    ],
  );
  endSessionStreams(options.sessionId);
}
