// Incoming funds pay off what lost disputes left the account owing. A deposit or an incoming
// transfer records, right after its credit, what it collected: oldest shortfall first, never more
// than came in, so the account's available funds never go below what they were.

import { refOf } from '../aggregate';
import type { Decision } from '../command-handler';
import type { OpenAccount } from './account-state';

/**
 * What incoming funds pay off of the account's shortfalls, oldest first: the account's side of a
 * lost case's provisional credit that the balance could not cover when the case ended.
 */
export function collectShortfalls(open: OpenAccount, incomingMinor: bigint): Decision[] {
  const decisions: Decision[] = [];
  let left = incomingMinor;
  for (const owed of open.shortfalls.values()) {
    if (left === 0n) break;
    const amountMinor = owed.outstandingMinor < left ? owed.outstandingMinor : left;
    left -= amountMinor;
    decisions.push({
      target: refOf('account', open.accountId),
      causationId: owed.chargeEventId,
      event: {
        type: 'shortfall_collected',
        schemaVersion: 1,
        data: {
          disputeId: owed.disputeId,
          chargeEventId: owed.chargeEventId,
          amountMinor,
          currency: open.currency,
        },
      },
    });
  }
  return decisions;
}
