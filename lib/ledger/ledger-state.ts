// What the deciders look at: the aggregates a batch of commands touches, as loaded under lock, and
// the charges a reversal concerns.

import { AGGREGATE_KINDS, type AggregateKind } from './aggregate';
import type { AggregateStates } from './aggregates';
import type { ChargeState } from './account/charge';

export type LedgerState = {
  readonly [K in AggregateKind]: ReadonlyMap<string, AggregateStates[K]>;
} & {
  readonly charges: ReadonlyMap<string, ChargeState>;
  /**
   * The lowest balance, as now known (backdated corrections included at their effective
   * instants), of an account from an instant on — for the commands that require it (a correcting
   * withdrawal). Keyed by lowestBalanceKey.
   */
  readonly lowestBalances: ReadonlyMap<string, bigint>;
};

export function lowestBalanceKey(accountId: string, since: Date): string {
  return `${accountId}@${since.toISOString()}`;
}

export const emptyLedgerState: LedgerState = {
  ...(Object.fromEntries(AGGREGATE_KINDS.map((kind) => [kind, new Map()])) as unknown as {
    [K in AggregateKind]: ReadonlyMap<string, AggregateStates[K]>;
  }),
  charges: new Map(),
  lowestBalances: new Map(),
};
