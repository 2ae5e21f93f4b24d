// What the deciders look at: the aggregates a batch of commands touches, as loaded under lock, and
// the charges a reversal concerns.

import { AGGREGATE_KINDS, type AggregateKind } from './aggregate';
import type { AggregateStates } from './aggregates';
import type { ChargeState } from './account/charge';

export type LedgerState = {
  readonly [K in AggregateKind]: ReadonlyMap<string, AggregateStates[K]>;
} & {
  readonly charges: ReadonlyMap<string, ChargeState>;
};

export const emptyLedgerState: LedgerState = {
  ...(Object.fromEntries(AGGREGATE_KINDS.map((kind) => [kind, new Map()])) as unknown as {
    [K in AggregateKind]: ReadonlyMap<string, AggregateStates[K]>;
  }),
  charges: new Map(),
};
