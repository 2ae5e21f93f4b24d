// The lowest balance an account had, as now known, from an instant on: what a correcting
// withdrawal effective at that instant must not exceed. "As now known" means every other event at
// its own instant and every backdated correction at its effective instant. Read under the
// account's lock (which every writer of its history takes), in one statement: the points where
// the balance can change — the instant itself, each later instant with events (the balance after
// its last event: what every point-in-time answer shows for it), each later correction — with the
// corrections' running sum carried along in time order.

import type { PoolClient } from '../../db/pool';

export async function lowestBalanceSince(
  tx: PoolClient,
  accountId: string,
  since: Date,
): Promise<bigint> {
  const result = await tx.query<{ lowest: string | null }>(
    `WITH plain_at AS (
       SELECT coalesce((SELECT h.balance_after_minor - h.corrections_after_minor FROM balance_history h
                         WHERE h.account_id = $1 AND h.occurred_at <= $2
                         ORDER BY h.occurred_at DESC, h.version DESC LIMIT 1), 0) AS plain
     ), points AS (
       SELECT $2::timestamptz AS t, (SELECT plain FROM plain_at) AS plain, 0::bigint AS delta
       UNION ALL
       -- The balance at an instant is the one after its last event (what every answer shows).
       (SELECT DISTINCT ON (h.occurred_at) h.occurred_at,
               h.balance_after_minor - h.corrections_after_minor, 0
          FROM balance_history h
         WHERE h.account_id = $1 AND h.occurred_at > $2
         ORDER BY h.occurred_at, h.version DESC)
       UNION ALL
       SELECT c.effective_at,
              coalesce((SELECT h.balance_after_minor - h.corrections_after_minor FROM balance_history h
                         WHERE h.account_id = $1 AND h.occurred_at <= c.effective_at
                         ORDER BY h.occurred_at DESC, h.version DESC LIMIT 1), 0),
              c.delta_minor
         FROM balance_corrections c
        WHERE c.account_id = $1 AND c.effective_at > $2
     ), known AS (
       SELECT p.plain + sum(p.delta) OVER (ORDER BY p.t) AS balance FROM points p
     )
     SELECT (min(balance) + coalesce((SELECT sum(c.delta_minor) FROM balance_corrections c
                                       WHERE c.account_id = $1 AND c.effective_at <= $2), 0))::text AS lowest
       FROM known`,
    [accountId, since.toISOString()],
  );
  return BigInt(result.rows[0]?.lowest ?? '0');
}
