import { AppError } from '../../errors';
import { UUID_PATTERN } from '../../ledger/limits';
import type { Queryable } from '../db/pool';

/**
 * The account a hold is on. It never changes, so commands about a hold can name its account
 * before their transaction; the decider checks it again under lock.
 */
export async function findHoldAccount(db: Queryable, holdId: string): Promise<string> {
  const found = UUID_PATTERN.test(holdId)
    ? await db.query<{ account_id: string }>('SELECT account_id FROM holds WHERE hold_id = $1', [
        holdId,
      ])
    : { rows: [] };
  const accountId = found.rows[0]?.account_id;
  if (!accountId) throw holdNotFound(holdId);
  return accountId;
}

/** The error for a hold id that names no hold. */
export function holdNotFound(holdId: string): AppError {
  return new AppError('not_found', `No hold has the id "${holdId.slice(0, 80)}".`);
}
