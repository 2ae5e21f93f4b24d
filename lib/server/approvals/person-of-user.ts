// A user as the four-eyes rules see them now: their id, current email and role.

import type { Person } from '../../ledger/approval/approval-rules';
import { isRole } from '../../auth/permissions';
import { getPool, type Queryable } from '../db/pool';

/** The user behind `userId` as they are now, or null (an ownerless key's "user", a deleted user). */
export async function personOfUser(
  userId: string,
  db: Queryable = getPool(),
): Promise<Person | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const result = await db.query<{ email: string; role: string }>(
    'SELECT email, role::text AS role FROM users WHERE id = $1::uuid',
    [userId],
  );
  const row = result.rows[0];
  if (!row || !isRole(row.role)) return null;
  return { actor: `user:${userId}`, userId, email: row.email, role: row.role };
}
