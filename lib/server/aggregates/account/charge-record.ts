// A charge as stored (the `charges` projection) and as the domain folds it (ChargeState): read the
// same way by the pipeline, under the account's lock, and by the pages that offer actions on it.

import type { ChargeState } from '../../../ledger/account/charge';

/** The columns of `charges` that `chargeRowToState` reads. */
export const CHARGE_COLUMNS = `charges.event_id::text AS event_id, charges.account_id,
  charges.amount_minor::text AS amount_minor, charges.reversed_minor::text AS reversed_minor,
  charges.dispute_id::text AS dispute_id, charges.disputed_minor::text AS disputed_minor,
  charges.provisional_minor::text AS provisional_minor`;

export interface ChargeRow {
  event_id: string;
  account_id: string;
  amount_minor: string;
  reversed_minor: string;
  dispute_id: string | null;
  disputed_minor: string;
  provisional_minor: string;
}

export function chargeRowToState(row: ChargeRow): ChargeState {
  return {
    eventId: row.event_id,
    accountId: row.account_id,
    amountMinor: BigInt(row.amount_minor),
    reversedMinor: BigInt(row.reversed_minor),
    disputeId: row.dispute_id,
    disputedMinor: BigInt(row.disputed_minor),
    provisionalMinor: BigInt(row.provisional_minor),
  };
}
