import { getServerSession } from 'next-auth';
import { isRole, type Role } from '../../auth/permissions';
import { getPool } from '../db/pool';
import { authOptions } from './auth-options';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
}

/**
 * The signed-in user, reloaded from the database on every call: a disabled or deleted user is
 * signed out on their next request, and a role change applies at once. Null when signed out.
 */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return null;
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
