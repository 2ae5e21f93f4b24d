// The check every server action and route handler starts with. Middleware only redirects people
// who are not signed in; this is what actually keeps an auditor from moving money.

import { AppError } from '../../errors';
import { can, type Permission } from '../../auth/permissions';
import { getCurrentUser, type SessionUser } from './current-user';
import { recordDenial } from './record-denial';

/** Whether a signed-in user holds `permission`. A refusal is recorded before it is answered. */
export async function userMay(
  user: SessionUser,
  permission: Permission,
  resource?: string,
): Promise<boolean> {
  if (can(user.role, permission)) return true;
  await recordDenial({
    actor: `user:${user.id}`,
    role: user.role,
    action: permission,
    resource,
    channel: 'web',
  });
  return false;
}

export async function requirePermission(
  permission: Permission,
  options: { resource?: string } = {},
): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized', 'Your session has ended. Sign in again.');
  if (!(await userMay(user, permission, options.resource)))
    throw new AppError('forbidden', 'Your role does not allow this.');
  return user;
}
