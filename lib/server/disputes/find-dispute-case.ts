import { AppError } from '../../errors';
import { UUID_PATTERN } from '../../ledger/limits';
import { getPool, type Queryable } from '../db/pool';

/**
 * The account and charge a case is about. They never change, so commands about a case can name
 * them before their transaction; the decider checks them again under lock.
 */
export async function findDisputeCase(
  disputeId: string,
  db: Queryable = getPool(),
): Promise<{ accountId: string; chargeEventId: string }> {
  const found = UUID_PATTERN.test(disputeId)
    ? await db.query<{ account_id: string; charge_event_id: string }>(
        'SELECT account_id, charge_event_id::text AS charge_event_id FROM disputes WHERE dispute_id = $1',
        [disputeId],
      )
    : { rows: [] };
  const row = found.rows[0];
  if (!row) throw disputeNotFound(disputeId);
  return { accountId: row.account_id, chargeEventId: row.charge_event_id };
}

export function disputeNotFound(disputeId: string): AppError {
  return new AppError('not_found', `No dispute has the id "${disputeId.slice(0, 80)}".`);
}
