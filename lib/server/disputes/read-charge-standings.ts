// Where charges stand for the actions the back office offers on them: what may still be reversed
// by hand or disputed (neither given back nor reserved by a case), and the case open on each.

import { UUID_PATTERN } from '../../ledger/limits';
import { getPool, type Queryable } from '../db/pool';

export interface ChargeStanding {
  readonly eventId: string;
  readonly amountMinor: bigint;
  /** Neither given back (reversals, refunds, provisional credit) nor reserved by an open case. */
  readonly reversibleMinor: bigint;
  readonly openDisputeId: string | null;
}

/** The standing of each of these events that is a charge; other ids are left out. */
export async function readChargeStandings(options: {
  eventIds: readonly string[];
  db?: Queryable;
}): Promise<Map<string, ChargeStanding>> {
  const ids = [...new Set(options.eventIds)].filter((id) => UUID_PATTERN.test(id));
  const standings = new Map<string, ChargeStanding>();
  if (ids.length === 0) return standings;
  const found = await (options.db ?? getPool()).query<{
    event_id: string;
    amount_minor: string;
    reversible_minor: string;
    dispute_id: string | null;
  }>(
    `SELECT c.event_id::text AS event_id, c.amount_minor::text AS amount_minor,
            (c.amount_minor - c.reversed_minor - c.disputed_minor)::text AS reversible_minor,
            c.dispute_id::text AS dispute_id
       FROM charges c WHERE c.event_id = ANY($1::uuid[])`,
    [ids],
  );
  for (const row of found.rows)
    standings.set(row.event_id, {
      eventId: row.event_id,
      amountMinor: BigInt(row.amount_minor),
      reversibleMinor: BigInt(row.reversible_minor),
      openDisputeId: row.dispute_id,
    });
  return standings;
}
