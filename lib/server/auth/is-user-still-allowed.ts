import { can, isRole, type Permission } from '../../auth/permissions';
import { getPool } from '../db/pool';

/**
 * Whether a user who was allowed at the start of a long-lived request (a live-update stream) still
 * exists, is not disabled, and still holds `permission`.
 */
export async function isUserStillAllowed(userId: string, permission: Permission): Promise<boolean> {
  const result = await getPool().query<{ role: string; disabled_at: Date | null }>(
    'SELECT role::text AS role, disabled_at FROM users WHERE id = $1::uuid',
    [userId],
  );
  const row = result.rows[0];
  return Boolean(row && !row.disabled_at && isRole(row.role) && can(row.role, permission));
}
