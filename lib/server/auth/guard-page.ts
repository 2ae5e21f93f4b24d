import { redirect } from 'next/navigation';
import type { Permission } from '../../auth/permissions';
import { getCurrentUser, type SessionUser } from './current-user';
import { userMay } from './require-permission';

/**
 * For pages: the signed-in user (or a redirect to sign-in), and whether they hold `permission`.
 * A refusal is recorded like any other; the page then renders its "not allowed" state.
 */
export async function guardPage(
  permission: Permission,
  options: { resource?: string; returnTo?: string } = {},
): Promise<{ user: SessionUser; allowed: boolean }> {
  const user = await getCurrentUser();
  if (!user)
    redirect(
      options.returnTo ? `/login?callbackUrl=${encodeURIComponent(options.returnTo)}` : '/login',
    );
  return { user, allowed: await userMay(user, permission, options.resource) };
}
