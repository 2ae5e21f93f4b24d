import { can, type Permission } from '../../auth/permissions';
import { loadActiveUser } from './current-user';

/**
 * Whether a user who was allowed at the start of a long-lived request (a live-update stream) still
 * exists, is not disabled, and still holds `permission`.
 */
export async function isUserStillAllowed(userId: string, permission: Permission): Promise<boolean> {
  const user = await loadActiveUser(userId);
  return user !== null && can(user.role, permission);
}
