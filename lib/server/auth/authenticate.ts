// Checks an email and password, with throttling: after too many failures for one email, or from
// one address, sign-in is refused for a while without even looking at the password.

import { isRole, type Role } from '../../auth/permissions';
import { getPool } from '../db/pool';
import { decoyPasswordHash, verifyPassword } from './passwords';

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

export type AuthenticationResult =
  | { status: 'ok'; user: { id: string; email: string; name: string; role: Role } }
  | { status: 'invalid' }
  | { status: 'rate_limited' };

export async function authenticate(options: {
  email: string;
  password: string;
  ip: string;
}): Promise<AuthenticationResult> {
  const db = getPool();
  const email = options.email.trim().toLowerCase().slice(0, 254);
  const ip = options.ip.slice(0, 64);
  const recent = await db.query<{ by_email: number; by_ip: number }>(
    `SELECT count(*) FILTER (WHERE email = $1)::int AS by_email, count(*) FILTER (WHERE ip = $2)::int AS by_ip
       FROM login_attempts
      WHERE NOT succeeded AND attempted_at > now() - make_interval(mins => $3)
        AND (email = $1 OR ip = $2)`,
    [email, ip, LOGIN_WINDOW_MINUTES],
  );
  const counts = recent.rows[0] ?? { by_email: 0, by_ip: 0 };
  if (counts.by_email >= MAX_FAILURES_PER_EMAIL || counts.by_ip >= MAX_FAILURES_PER_ADDRESS) {
    return { status: 'rate_limited' };
  }

  const found = await db.query<{
    id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string;
    disabled_at: Date | null;
  }>(
    'SELECT id::text AS id, email, name, role::text AS role, password_hash, disabled_at FROM users WHERE email = $1',
    [email],
  );
  const user = found.rows[0];
  // Verify against a decoy when the user is unknown, so response time does not reveal which
  // emails exist.
  const isValid = await verifyPassword(
    user?.password_hash ?? (await decoyPasswordHash()),
    options.password,
  );
  const succeeded = Boolean(user && isValid && !user.disabled_at && isRole(user.role));
  await db.query('INSERT INTO login_attempts (email, ip, succeeded) VALUES ($1, $2, $3)', [
    email,
    ip,
    succeeded,
  ]);
  if (!succeeded || !user || !isRole(user.role)) return { status: 'invalid' };
  return {
    status: 'ok',
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
  };
}
