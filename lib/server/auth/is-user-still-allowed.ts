import { can, type Permission } from '../../auth/permissions';
import { loadActiveUser } from './current-user';

/**
 * Whether a user who was allowed at the start of a long-lived request (a live-update stream) still
 * exists, is not disabled, has not signed that session out, and still holds `permission`.
 */
export async function isUserStillAllowed(
  session: { userId: string; sessionId: string },
  permission: Permission,
): Promise<boolean> {
  const user = await loadActiveUser(session.userId, session.sessionId);
  return user !== null && can(user.role, permission);
}
