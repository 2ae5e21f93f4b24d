// The balance over time for the account chart, downsampled on the server: at most `points`
// samples taken at evenly spaced versions (plus the last), each one a primary-key lookup in
// balance_history, so a 1,000,000-event account costs the same as a 300-event one.

import { getPool, type Queryable } from '../db/pool';
import type { BalancePoint } from '../../view-models';

export async function getBalanceSeries(options: {
  accountId: string;
  points?: number;
  db?: Queryable;
}): Promise<BalancePoint[]> {
  const db = options.db ?? getPool();
  const points = Math.max(2, Math.min(options.points ?? 240, 2_000));
  const result = await db.query<{
    version: number;
    occurred_at: Date;
    balance_after_minor: string;
  }>(
    `WITH head AS (SELECT version FROM accounts WHERE id = $1),
          sampled AS (
            SELECT DISTINCT v AS version FROM head,
              LATERAL (SELECT generate_series(1, head.version, greatest(1, ceil(head.version::numeric / $2)::int)) AS v
                       UNION ALL SELECT head.version) s
          )
     SELECT h.version, h.occurred_at, h.balance_after_minor::text AS balance_after_minor
       FROM sampled JOIN balance_history h ON h.account_id = $1 AND h.version = sampled.version
      ORDER BY h.version`,
    [options.accountId, points],
  );
  return result.rows.map((row) => ({
    version: row.version,
    occurredAt: row.occurred_at.toISOString(),
    balanceMinor: row.balance_after_minor,
  }));
}
