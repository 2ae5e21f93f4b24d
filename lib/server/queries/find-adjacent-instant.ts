import type { TimeStep } from '../../schemas/time-travel';
import { getPool, type Queryable } from '../db/pool';

/**
 * The occurred_at of the account's event next to `from` in the given direction: how the
 * time-travel slider steps event by event. Null when there is none that way.
 */
export async function findAdjacentInstant(options: {
  accountId: string;
  from: Date;
  step: TimeStep;
  db?: Queryable;
}): Promise<Date | null> {
  const db = options.db ?? getPool();
  const queries: Record<TimeStep, string> = {
    first:
      'SELECT occurred_at FROM balance_history WHERE account_id = $1 ORDER BY version ASC LIMIT 1',
    last: 'SELECT occurred_at FROM balance_history WHERE account_id = $1 ORDER BY version DESC LIMIT 1',
    next: 'SELECT occurred_at FROM balance_history WHERE account_id = $1 AND occurred_at > $2 ORDER BY occurred_at ASC, version ASC LIMIT 1',
    previous:
      'SELECT occurred_at FROM balance_history WHERE account_id = $1 AND occurred_at < $2 ORDER BY occurred_at DESC, version DESC LIMIT 1',
  };
  const parameters =
    options.step === 'first' || options.step === 'last'
      ? [options.accountId]
      : [options.accountId, options.from.toISOString()];
  const result = await db.query<{ occurred_at: Date }>(queries[options.step], parameters);
  return result.rows[0]?.occurred_at ?? null;
}
