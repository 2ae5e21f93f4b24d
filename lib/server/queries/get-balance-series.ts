// The balance over time for the account chart, downsampled on the server: at most `points`
// samples taken at evenly spaced versions (plus the last), each one a primary-key lookup in
// balance_history, so a 1,000,000-event account costs the same as a 300-event one. Each sample
// carries the balance on both time axes: as Chronicle showed it then (what had been recorded by
// that instant) and as we know it now (backdated corrections at their effective instants); and
// each correction's effective instant is a sample of its own, so the chart can mark it.

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
    known_now_minor: string;
    is_correction: boolean;
  }>(
    `WITH head AS (SELECT version FROM accounts WHERE id = $1),
          sampled AS (
            SELECT DISTINCT v AS version FROM head,
              LATERAL (SELECT generate_series(1, head.version, greatest(1, ceil(head.version::numeric / $2)::int)) AS v
                       UNION ALL SELECT head.version) s
          ),
          samples AS (
            SELECT h.version, h.occurred_at AS t, h.balance_after_minor,
                   h.balance_after_minor - h.corrections_after_minor AS plain, false AS is_correction
              FROM sampled JOIN balance_history h ON h.account_id = $1 AND h.version = sampled.version
            UNION ALL
            SELECT h.version, c.effective_at, h.balance_after_minor,
                   h.balance_after_minor - h.corrections_after_minor, true
              FROM (SELECT effective_at FROM balance_corrections WHERE account_id = $1
                     ORDER BY effective_at LIMIT $2) c
              CROSS JOIN LATERAL (
                SELECT * FROM balance_history b
                 WHERE b.account_id = $1 AND b.occurred_at <= c.effective_at
                 ORDER BY b.occurred_at DESC, b.version DESC LIMIT 1) h
          )
     SELECT s.version, s.t AS occurred_at, s.balance_after_minor::text AS balance_after_minor,
            (s.plain + (SELECT coalesce(sum(c.delta_minor), 0) FROM balance_corrections c
                         WHERE c.account_id = $1 AND c.effective_at <= s.t))::text AS known_now_minor,
            s.is_correction
       FROM samples s
      ORDER BY s.t, s.version, s.is_correction`,
    [options.accountId, points],
  );
  return result.rows.map((row) => ({
    version: row.version,
    occurredAt: row.occurred_at.toISOString(),
    balanceMinor: row.known_now_minor,
    shownThenMinor: row.balance_after_minor,
    ...(row.is_correction ? { correction: true } : {}),
  }));
}
