import { AppError } from '../../errors';
import type { CreateUserInput } from '../../schemas/user-inputs';
import { hashPassword } from '../auth/passwords';
import { getPrisma } from '../db/prisma';
import { sqlState } from '../db/pool';
import { USER_SELECT, type UserRecord } from './user-record';

/** Creates a user; refuses an email that is already taken. */
export async function createUser(options: { input: CreateUserInput }): Promise<UserRecord> {
  const { input } = options;
  const passwordHash = await hashPassword(input.password);
  try {
    return await getPrisma().user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash },
      select: USER_SELECT,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        'validation_error',
        `A user with the email ${input.email} already exists.`,
        {
          fieldErrors: { email: 'This email is already in use.' },
        },
      );
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    (error as { code?: string }).code === 'P2002' ||
    sqlState((error as { cause?: unknown }).cause) === '23505'
  );
}
