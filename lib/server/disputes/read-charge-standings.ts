// Where charges stand for the actions the back office offers on them: what may still be reversed
// by hand or disputed (neither given back nor reserved by a case), and the case open on each.

import { reversibleMinor } from '../../ledger/account/charge';
import { UUID_PATTERN } from '../../ledger/limits';
import {
  CHARGE_COLUMNS,
  chargeRowToState,
  type ChargeRow,
} from '../aggregates/account/charge-record';
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
  const found = await (options.db ?? getPool()).query<ChargeRow>(
    `SELECT ${CHARGE_COLUMNS} FROM charges WHERE charges.event_id = ANY($1::uuid[])`,
    [ids],
  );
  for (const row of found.rows) {
    const charge = chargeRowToState(row);
    standings.set(charge.eventId, {
      eventId: charge.eventId,
      amountMinor: charge.amountMinor,
      reversibleMinor: reversibleMinor(charge),
      openDisputeId: charge.disputeId,
    });
  }
  return standings;
}
