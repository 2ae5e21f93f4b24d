// Where each aggregate's rows are read and written: one line per aggregate, beside its
// registration in lib/ledger/aggregates.ts.

import type { AggregateKind } from '../../ledger/aggregate';
import type { AggregateStore } from '../pipeline/aggregate-store';
import { accountStore } from './account/account-store';
import { disputeStore } from './dispute/dispute-store';
import { holdStore } from './hold/hold-store';

export const AGGREGATE_STORES: { readonly [K in AggregateKind]: AggregateStore<K> } = {
  account: accountStore,
  hold: holdStore,
  dispute: disputeStore,
};
