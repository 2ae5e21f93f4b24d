// Folding many events at once. `applyEvents` is used three ways: by the command handler to
// compute the states its projections will store, by the import path, and as the full-replay
// reference the projections are tested against.

import {
  chargeIdOf,
  evolve,
  evolveCharge,
  initialState,
  type AccountEvent,
  type AccountState,
} from './account';
import type { DecidedEvent, LedgerState } from './decide';

export const emptyLedgerState: LedgerState = { accounts: new Map(), charges: new Map() };

/** Returns the state after `events`, leaving `state` untouched. */
export function applyEvents(state: LedgerState, events: Iterable<AccountEvent>): LedgerState {
  const accounts = new Map(state.accounts);
  const charges = new Map(state.charges);
  for (const applied of events) {
    accounts.set(
      applied.accountId,
      evolve(accounts.get(applied.accountId) ?? initialState, applied),
    );
    const chargeId = chargeIdOf(applied);
    if (chargeId !== undefined) {
      const charge = evolveCharge(charges.get(chargeId), applied);
      if (charge) charges.set(chargeId, charge);
    }
  }
  return { accounts, charges };
}

/** Folds one account's events from the beginning: the reference every projection must match. */
export function replayAccount(events: Iterable<AccountEvent>): AccountState {
  let state: AccountState = initialState;
  for (const applied of events) state = evolve(state, applied);
  return state;
}

/**
 * Gives decided events their place in each account's stream: the next versions after the
 * current state, and the ids the caller generated for them.
 */
export function sequenceDecidedEvents(
  state: LedgerState,
  decided: readonly DecidedEvent[],
  eventIds: readonly string[],
): AccountEvent[] {
  if (eventIds.length !== decided.length)
    throw new Error('one event id is needed per decided event');
  const nextVersion = new Map<string, number>();
  return decided.map((item, index) => {
    const version =
      (nextVersion.get(item.accountId) ?? state.accounts.get(item.accountId)?.version ?? 0) + 1;
    nextVersion.set(item.accountId, version);
    return {
      eventId: eventIds[index] as string,
      accountId: item.accountId,
      version,
      occurredAt: item.occurredAt,
      event: item.event,
    };
  });
}
