import { getPool } from '../db/pool';
import { USER_COLUMNS, toUserRecord, type UserRecord, type UserRow } from './user-record';

/** The user with this email (emails are stored lower-cased), or null. */
export async function findUserByEmail(options: { email: string }): Promise<UserRecord | null> {
  const result = await getPool().query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE email = lower($1)`,
    [options.email],
  );
  return result.rows[0] ? toUserRecord(result.rows[0]) : null;
}

/** The user with this id, or null. */
export async function findUserById(userId: string): Promise<UserRecord | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const result = await getPool().query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = $1::uuid`,
    [userId],
  );
  return result.rows[0] ? toUserRecord(result.rows[0]) : null;
}
