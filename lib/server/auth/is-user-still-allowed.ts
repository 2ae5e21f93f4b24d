import { can, type Permission } from '../../auth/permissions';
import { loadActiveUser, type SessionIdentity } from './current-user';

/**
 * Whether a user who was allowed at the start of a long-lived request (a live-update stream) still
 * exists, is not disabled, has not signed that session out, and still holds `permission`.
 */
export async function isUserStillAllowed(
  userId: string,
  session: SessionIdentity,
  permission: Permission,
): Promise<boolean> {
  const user = await loadActiveUser(userId, session);
  return user !== null && can(user.role, permission);
}
