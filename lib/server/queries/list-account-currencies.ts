import type { CurrencyCode } from '../../ledger/currencies';
import { getPool, type Queryable } from '../db/pool';

/** The currencies accounts are held in, for the list's filter. */
export async function listAccountCurrencies(
  options: { db?: Queryable } = {},
): Promise<CurrencyCode[]> {
  const result = await (options.db ?? getPool()).query<{ currency: CurrencyCode }>(
    'SELECT DISTINCT currency FROM accounts ORDER BY currency',
  );
  return result.rows.map((row) => row.currency);
}
