import { AppError } from '../../errors';
import type { CreateUserInput } from '../../schemas/user-inputs';
import { recordAdminAction } from '../admin-trail/record-admin-action';
import { hashPassword } from '../auth/passwords';
import { getPool, sqlState, withTransaction } from '../db/pool';
import { USER_COLUMNS, toUserRecord, type UserRecord, type UserRow } from './user-record';

/**
 * Creates a user, and records who did it in the user's trail; refuses an email that is already
 * taken. `actor` is the admin (`user:<id>`) or the tool (`system:cli`) creating them.
 */
export async function createUser(options: {
  input: CreateUserInput;
  actor: string;
}): Promise<UserRecord> {
  const { input } = options;
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTransaction(getPool(), async (tx) => {
      const inserted = await tx.query<UserRow>(
        `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
         RETURNING ${USER_COLUMNS}`,
        [input.email, input.name, input.role, passwordHash],
      );
      const user = toUserRecord(inserted.rows[0] as UserRow);
      await recordAdminAction(tx, {
        type: 'user_created',
        subject: { id: user.id, label: user.email },
        before: null,
        after: { email: user.email, name: user.name, role: user.role },
        actor: options.actor,
      });
      return user;
    });
  } catch (error) {
    if (sqlState(error) === '23505') {
      throw new AppError(
        'validation_error',
        `A user with the email ${input.email} already exists.`,
        { fieldErrors: { email: 'This email is already in use.' } },
      );
    }
    throw error;
  }
}
