// The aggregates of the ledger, registered once each: their empty state and their fold. The
// pipeline, the replay and the projections find an aggregate's rules here by its kind; adding an
// aggregate is a folder of its own (events, state, commands) and one line in this table.

import type { AggregateKind, SequencedEvent } from './aggregate';
import { evolveAccount, initialAccountState, type AccountState } from './account/account-state';
import {
  evolveApproval,
  initialApprovalState,
  type ApprovalState,
} from './approval/approval-state';
import { evolveDispute, initialDisputeState, type DisputeState } from './dispute/dispute-state';
import { evolveHold, initialHoldState, type HoldState } from './hold/hold-state';

export interface AggregateStates {
  readonly account: AccountState;
  readonly hold: HoldState;
  readonly dispute: DisputeState;
  readonly approval: ApprovalState;
}

export interface AggregateDefinition<S> {
  readonly initialState: S;
  evolve(state: S, applied: SequencedEvent): S;
}

export const AGGREGATES: {
  readonly [K in AggregateKind]: AggregateDefinition<AggregateStates[K]>;
} = {
  account: { initialState: initialAccountState, evolve: evolveAccount },
  hold: { initialState: initialHoldState, evolve: evolveHold },
  dispute: { initialState: initialDisputeState, evolve: evolveDispute },
  approval: { initialState: initialApprovalState, evolve: evolveApproval },
};

/** One event folded into its aggregate's state (the initial state when there is none yet). */
export function evolveAggregate<K extends AggregateKind>(
  kind: K,
  state: AggregateStates[K] | undefined,
  applied: SequencedEvent,
): AggregateStates[K] {
  // The table above pairs each kind with its own fold; TypeScript cannot follow that through K.
  const definition = AGGREGATES[kind] as unknown as AggregateDefinition<AggregateStates[K]>;
  return definition.evolve(state ?? definition.initialState, applied);
}
