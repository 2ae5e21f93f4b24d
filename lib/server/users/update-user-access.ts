import { AppError } from '../../errors';
import type { Role } from '../../auth/permissions';
import { getPrisma } from '../db/prisma';
import { USER_SELECT, type UserRecord } from './user-record';

/**
 * Changes a user's role or disables/enables them. Takes effect on the user's next request, because
 * every request reloads the user. An admin cannot lock themselves out.
 */
export async function updateUserAccess(options: {
  actingUserId: string;
  userId: string;
  change: { role: Role } | { disabled: boolean };
}): Promise<UserRecord> {
  const { actingUserId, userId, change } = options;
  if (userId === actingUserId) {
    throw new AppError(
      'validation_error',
      'You cannot change your own role or disable yourself; ask another admin.',
    );
  }
  const existing = await getPrisma().user.findUnique({
    where: { id: userId },
    select: { id: true },
  });
  if (!existing) throw new AppError('not_found', 'No such user.');
  const prisma = getPrisma();
  if ('role' in change) {
    await prisma.user.update({ where: { id: userId }, data: { role: change.role } });
  } else {
    // The database clock records when the user was disabled.
    await prisma.$executeRaw`UPDATE users SET disabled_at = CASE WHEN ${change.disabled} THEN now() END, updated_at = now() WHERE id = ${userId}::uuid`;
  }
  return prisma.user.findUniqueOrThrow({ where: { id: userId }, select: USER_SELECT });
}
