import { decode, type JWT } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { isRole, type Role } from '../../auth/permissions';
import { UUID_PATTERN } from '../../ledger/limits';
import { getPool } from '../db/pool';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

/** A signed-in browser: who it is, which sign-in, and until when the session cookie holds. */
export interface CurrentSession {
  readonly user: SessionUser;
  readonly sessionId: string;
  readonly expiresAt: Date;
}

/**
 * The user with this id as they are now; null when they do not exist or are disabled, or when
 * `sessionId` is given and that session was ended by signing out.
 */
export async function loadActiveUser(id: string, sessionId?: string): Promise<SessionUser | null> {
  if (!UUID_PATTERN.test(id) || (sessionId !== undefined && !UUID_PATTERN.test(sessionId)))
    return null;
  const result = await getPool().query<{
    id: string;
    email: string;
    name: string;
    role: string;
    disabled_at: Date | null;
  }>(
    `SELECT id::text AS id, email, name, role::text AS role, disabled_at FROM users
      WHERE id = $1::uuid
        AND ($2::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM revoked_sessions WHERE session_id = $2::uuid))`,
    [id, sessionId ?? null],
  );
  const user = result.rows[0];
  if (!user || user.disabled_at || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The signed-in session, reloaded from the database on every request: a disabled or deleted
 * user, or a session ended by signing out, is refused on the next request, and a role change
 * applies at once. Null when signed out. Cached per server render, so a layout and its page
 * share one lookup.
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const token = await readSessionToken();
  // Expiry checked to the second: decode allows 15 s of clock skew, which one server's own
  // tokens do not need.
  if (!token?.sub || !token.sid || typeof token.exp !== 'number' || token.exp * 1000 <= Date.now())
    return null;
  const user = await loadActiveUser(token.sub, token.sid);
  return user ? { user, sessionId: token.sid, expiresAt: new Date(token.exp * 1000) } : null;
});

/**
 * The session token from next-auth's cookie, decoded and checked (signature, encryption and
 * expiry). Only the cookie: next-auth's getToken would also take the token from a Bearer header,
 * which the back office has no use for.
 */
async function readSessionToken(): Promise<JWT | null> {
  const secure = process.env.NEXTAUTH_URL?.startsWith('https://') ?? false;
  const name = secure ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
  const value = (await cookies()).get(name)?.value;
  const secret = process.env.NEXTAUTH_SECRET;
  if (!value || !secret) return null;
  try {
    return await decode({ token: value, secret });
  } catch {
    return null;
  }
}

/** The signed-in user (see getCurrentSession), or null. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  return (await getCurrentSession())?.user ?? null;
}
