import { getServerSession } from 'next-auth';
import { cache } from 'react';
import { isRole, type Role } from '../../auth/permissions';
import { UUID_PATTERN } from '../../ledger/limits';
import { getPool } from '../db/pool';
import { authOptions } from './auth-options';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

/** The user with this id as they are now; null when they do not exist or are disabled. */
export async function loadActiveUser(id: string): Promise<SessionUser | null> {
  if (!UUID_PATTERN.test(id)) return null;
  const result = await getPool().query<{
    id: string;
    email: string;
    name: string;
    role: string;
    disabled_at: Date | null;
  }>(
    'SELECT id::text AS id, email, name, role::text AS role, disabled_at FROM users WHERE id = $1::uuid',
    [id],
  );
  const user = result.rows[0];
  if (!user || user.disabled_at || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The signed-in user, reloaded from the database on every request: a disabled or deleted user is
 * signed out on their next request, and a role change applies at once. Null when signed out.
 * Cached per server render, so a layout and its page share one lookup.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  return id ? loadActiveUser(id) : null;
});
