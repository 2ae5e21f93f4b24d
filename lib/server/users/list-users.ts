import { getPrisma } from '../db/prisma';
import { USER_SELECT, type UserRecord } from './user-record';

export async function listUsers(): Promise<UserRecord[]> {
  return getPrisma().user.findMany({
    select: USER_SELECT,
    orderBy: [{ disabledAt: { sort: 'asc', nulls: 'first' } }, { email: 'asc' }],
  });
}
