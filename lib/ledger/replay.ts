// Folding many events at once. `applyEvents` is used three ways: by the pipeline to compute the
// states its projections will store, by tests, and as the full-replay reference the projections
// are tested against.

import { refKey, type DecidedEvent, type SequencedEvent } from './aggregate';
import { AGGREGATES, evolveAggregate, type AggregateStates } from './aggregates';
import { chargeIdOf, evolveCharge } from './account/charge';
import type { LedgerState } from './ledger-state';

/** Returns the state after `events`, leaving `state` untouched. */
export function applyEvents(state: LedgerState, events: Iterable<SequencedEvent>): LedgerState {
  const next = {
    account: new Map(state.account),
    hold: new Map(state.hold),
    dispute: new Map(state.dispute),
    approval: new Map(state.approval),
  };
  const charges = new Map(state.charges);
  for (const applied of events) {
    const { kind, id } = applied.target;
    const states = next[kind] as Map<string, AggregateStates[typeof kind]>;
    states.set(id, evolveAggregate(kind, states.get(id), applied));
    const chargeId = chargeIdOf(applied);
    if (chargeId !== undefined) {
      const charge = evolveCharge(charges.get(chargeId), applied);
      if (charge) charges.set(chargeId, charge);
    }
  }
  return { ...next, charges, lowestBalances: state.lowestBalances };
}

/** Folds one aggregate's events from the beginning: the reference every projection must match. */
export function replayAggregate<K extends keyof AggregateStates>(
  kind: K,
  events: Iterable<SequencedEvent>,
): AggregateStates[K] {
  let state: AggregateStates[K] | undefined;
  for (const applied of events) state = evolveAggregate(kind, state, applied);
  return state ?? (AGGREGATES[kind].initialState as AggregateStates[K]);
}

/**
 * Gives decided events their place in each aggregate's stream: the next versions after the
 * current state, and the ids the caller generated for them.
 */
export function sequenceDecidedEvents(
  state: LedgerState,
  decided: readonly DecidedEvent[],
  eventIds: readonly string[],
): SequencedEvent[] {
  if (eventIds.length !== decided.length)
    throw new Error('one event id is needed per decided event');
  const nextVersion = new Map<string, number>();
  return decided.map((item, index) => {
    const key = refKey(item.target);
    const current = state[item.target.kind].get(item.target.id)?.version ?? 0;
    const version = (nextVersion.get(key) ?? current) + 1;
    nextVersion.set(key, version);
    return {
      eventId: eventIds[index] as string,
      target: item.target,
      version,
      occurredAt: item.occurredAt,
      event: item.event,
    };
  });
}
