import { decode, type JWT } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { isRole, type Role } from '../../auth/permissions';
import { UUID_PATTERN } from '../../ledger/limits';
import { getPool } from '../db/pool';
import { sessionEndsAt } from './session-lifetime';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

/** Which sign-in a request comes from. */
export interface SessionIdentity {
  readonly sessionId: string;
  readonly signedInAt: Date;
}

/** A signed-in browser: who it is, which sign-in, and until when the session holds. */
export interface CurrentSession extends SessionIdentity {
  readonly user: SessionUser;
  readonly expiresAt: Date;
}

/**
 * The user with this id as they are now; null when they do not exist or are disabled, or when
 * `session` is given and that session has ended: signed out, or begun before the user was last
 * disabled (so enabling a user again revives none of their old sessions).
 */
export async function loadActiveUser(
  id: string,
  session?: SessionIdentity,
): Promise<SessionUser | null> {
  if (!UUID_PATTERN.test(id) || (session !== undefined && !UUID_PATTERN.test(session.sessionId)))
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
        AND ($2::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM revoked_sessions WHERE session_id = $2::uuid))
        AND ($3::timestamptz IS NULL OR sessions_valid_after IS NULL OR sessions_valid_after <= $3)`,
    [id, session?.sessionId ?? null, session?.signedInAt ?? null],
  );
  const user = result.rows[0];
  if (!user || user.disabled_at || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The signed-in session, reloaded from the database on every request: a disabled or deleted
 * user, or a session that has ended, is refused on the next request, and a role change applies
 * at once. Null when signed out. Cached per server render, so a layout and its page share one
 * lookup.
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const token = await readSessionToken();
  // Expiry checked to the second: decode allows 15 s of clock skew, which one server's own
  // tokens do not need.
  if (
    !token?.sub ||
    !token.sid ||
    typeof token.signedInAt !== 'number' ||
    typeof token.exp !== 'number' ||
    token.exp * 1000 <= Date.now() ||
    sessionEndsAt(token.signedInAt).getTime() <= Date.now()
  )
    return null;
  const identity = { sessionId: token.sid, signedInAt: new Date(token.signedInAt * 1000) };
  const user = await loadActiveUser(token.sub, identity);
  // The session ends at whichever comes first: its token's expiry or its absolute maximum.
  const expiresAt = Math.min(token.exp * 1000, sessionEndsAt(token.signedInAt).getTime());
  return user ? { user, ...identity, expiresAt: new Date(expiresAt) } : null;
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
