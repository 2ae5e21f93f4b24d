import { UUID_PATTERN } from '../../ledger/limits';
import { getPool } from '../db/pool';
import { endSessionStreams } from '../live-updates/stream-registry';

/**
 * Ends a session when its user signs out. The cookie is deleted by next-auth, but a copy of the
 * token (a stolen cookie, another tab's live stream) would stay valid, and could even be
 * refreshed; listing the session here makes every later request with it fail and refuses to
 * refresh it, and its live streams in this process end at once; the row's insertion is announced
 * to every other process (worker or instance), which ends its own streams of the session
 * (../live-updates/stream-registry.ts). The row is kept until the session could not have lived
 * any longer.
 */
export async function revokeSession(options: {
  sessionId: string;
  userId: string | undefined;
  /** When the session would have ended anyway: its sign-in plus the absolute maximum. */
  endsAt: Date;
}): Promise<void> {
  if (!UUID_PATTERN.test(options.sessionId)) return;
  await getPool().query(
    `INSERT INTO revoked_sessions (session_id, user_id, expires_at) VALUES ($1::uuid, $2::uuid, $3)
     ON CONFLICT (session_id) DO NOTHING`,
    [
      options.sessionId,
      options.userId && UUID_PATTERN.test(options.userId) ? options.userId : null,
      options.endsAt,
    ],
  );
  endSessionStreams(options.sessionId);
}

/** Whether the session was ended by signing out. */
export async function isSessionRevoked(sessionId: string): Promise<boolean> {
  if (!UUID_PATTERN.test(sessionId)) return true;
  const found = await getPool().query('SELECT 1 FROM revoked_sessions WHERE session_id = $1', [
    sessionId,
  ]);
  return (found.rowCount ?? 0) > 0;
}
