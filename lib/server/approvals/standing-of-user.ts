// A user as the four-eyes rules see them now: their id, current email and role; whether they are
// still active; and who created their account (an admin may not approve through a user they made).

import type { Person } from '../../ledger/approval/approval-rules';
import { isRole } from '../../auth/permissions';
import { adminStreamId } from '../../admin/admin-events';
import { getPool, type Queryable } from '../db/pool';

export interface UserStanding {
  readonly person: Person;
  readonly active: boolean;
  /** The actor who created the account (`user:<id>`, `system:cli`), from its trail. */
  readonly createdBy: string | null;
}

/** The user behind `userId` as they are now, or null (no such user). */
export async function standingOfUser(
  userId: string,
  db: Queryable = getPool(),
): Promise<UserStanding | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const result = await db.query<{
    email: string;
    role: string;
    active: boolean;
    created_by: string | null;
  }>(
    `SELECT u.email, u.role::text AS role, u.disabled_at IS NULL AS active,
            (SELECT e.metadata->>'actor' FROM events e
              WHERE e.stream_id = $2 AND e.type = 'user_created'
              ORDER BY e.stream_version LIMIT 1) AS created_by
       FROM users u WHERE u.id = $1::uuid`,
    [userId, adminStreamId('user', userId)],
  );
  const row = result.rows[0];
  if (!row || !isRole(row.role)) return null;
  return {
    person: { actor: `user:${userId}`, userId, email: row.email, role: row.role },
    active: row.active,
    createdBy: row.created_by,
  };
}
