import { hashPassword } from '../auth/passwords';
import { getPrisma } from '../db/prisma';

/** Replaces a user's password (used to reset demo users' passwords on every demo start). */
export async function setUserPassword(options: { email: string; password: string }): Promise<void> {
  await getPrisma().user.update({
    where: { email: options.email.toLowerCase() },
    data: { passwordHash: await hashPassword(options.password) },
  });
}
