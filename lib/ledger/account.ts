// The state of one account as a fold over its events: `initialState` and `evolve`. This is the
// only definition of what an event does to an account; the inline projections and the full
// replay both go through it, which is why they cannot disagree.

import type { CurrencyCode } from './currencies';
import { balanceDelta, type LedgerEvent } from './events';
import { MAX_BALANCE_MINOR } from './money';

export interface UnopenedAccount {
  readonly status: 'unopened';
  readonly version: 0;
}

export interface OpenAccount {
  readonly status: 'open';
  readonly accountId: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  readonly balanceMinor: bigint;
  readonly isFrozen: boolean;
  readonly frozenReason: string | null;
  /** The stream version: how many events the account has. */
  readonly version: number;
  readonly openedAt: Date;
  readonly lastOccurredAt: Date;
}

export type AccountState = UnopenedAccount | OpenAccount;

/** One event of an account's stream, with the envelope fields the fold needs. */
export interface AccountEvent {
  readonly eventId: string;
  readonly accountId: string;
  readonly version: number;
  readonly occurredAt: Date;
  readonly event: LedgerEvent;
}

/** A withdrawal that can be disputed, and how much of it has been reversed. */
export interface ChargeState {
  readonly eventId: string;
  readonly accountId: string;
  readonly amountMinor: bigint;
  readonly reversedMinor: bigint;
}

/**
 * Thrown when stored history breaks a rule the decider never lets through (a version gap, a
 * negative balance). It means the log or a projection is corrupt, not that a user erred.
 */
export class LedgerInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInvariantError';
  }
}

export const initialState: UnopenedAccount = Object.freeze({ status: 'unopened', version: 0 });

export function evolve(state: AccountState, applied: AccountEvent): AccountState {
  const { event } = applied;
  if (applied.version !== state.version + 1) {
    throw new LedgerInvariantError(
      `account ${applied.accountId}: event version ${applied.version} does not follow ${state.version}`,
    );
  }
  if (event.type === 'account_opened') {
    if (state.status !== 'unopened') {
      throw new LedgerInvariantError(`account ${applied.accountId} is opened twice`);
    }
    return {
      status: 'open',
      accountId: event.data.accountId,
      ownerId: event.data.ownerId,
      currency: event.data.currency,
      balanceMinor: 0n,
      isFrozen: false,
      frozenReason: null,
      version: applied.version,
      openedAt: applied.occurredAt,
      lastOccurredAt: applied.occurredAt,
    };
  }
  if (state.status !== 'open') {
    throw new LedgerInvariantError(
      `account ${applied.accountId}: ${event.type} before account_opened`,
    );
  }
  if ('currency' in event.data && event.data.currency !== state.currency) {
    throw new LedgerInvariantError(
      `account ${applied.accountId}: ${event.type} in ${event.data.currency}`,
    );
  }
  const balanceMinor = state.balanceMinor + balanceDelta(event);
  if (balanceMinor < 0n || balanceMinor > MAX_BALANCE_MINOR) {
    throw new LedgerInvariantError(
      `account ${applied.accountId}: balance ${balanceMinor} out of range`,
    );
  }
  const base = {
    ...state,
    balanceMinor,
    version: applied.version,
    lastOccurredAt: applied.occurredAt,
  };
  switch (event.type) {
    case 'account_frozen':
      return { ...base, isFrozen: true, frozenReason: event.data.reason };
    case 'account_unfrozen':
      return { ...base, isFrozen: false, frozenReason: null };
    default:
      return base;
  }
}

/** Folds a charge-related event into the charge it concerns; other events leave it unchanged. */
export function evolveCharge(
  charge: ChargeState | undefined,
  applied: AccountEvent,
): ChargeState | undefined {
  const { event } = applied;
  if (event.type === 'funds_withdrawn') {
    return {
      eventId: applied.eventId,
      accountId: applied.accountId,
      amountMinor: event.data.amountMinor,
      reversedMinor: 0n,
    };
  }
  if (event.type === 'charge_reversed') {
    if (!charge || charge.eventId !== event.data.originalEventId) {
      throw new LedgerInvariantError(
        `reversal ${applied.eventId} does not match charge ${event.data.originalEventId}`,
      );
    }
    const reversedMinor = charge.reversedMinor + event.data.amountMinor;
    if (reversedMinor > charge.amountMinor) {
      throw new LedgerInvariantError(`charge ${charge.eventId} reversed beyond its amount`);
    }
    return { ...charge, reversedMinor };
  }
  return charge;
}

/** The id of the charge an event creates or changes, if any. */
export function chargeIdOf(applied: AccountEvent): string | undefined {
  if (applied.event.type === 'funds_withdrawn') return applied.eventId;
  if (applied.event.type === 'charge_reversed') return applied.event.data.originalEventId;
  return undefined;
}
