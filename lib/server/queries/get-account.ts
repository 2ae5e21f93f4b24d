import { getPool, type Queryable } from '../db/pool';
import {
  ACCOUNT_COLUMNS,
  accountRowToRecord,
  type AccountRecord,
  type AccountRow,
} from '../aggregates/account/account-record';

/** The current state of an account, from its projection; null when no such account exists. */
export async function getAccount(options: {
  accountId: string;
  db?: Queryable;
}): Promise<AccountRecord | null> {
  const db = options.db ?? getPool();
  const result = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`,
    [options.accountId],
  );
  const row = result.rows[0];
  return row ? accountRowToRecord(row) : null;
}
