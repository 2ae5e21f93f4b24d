// The state of one account as a fold over its events: `initialAccountState` and `evolveAccount`.
// This is the only definition of what an event does to an account; the inline projections and the
// full replay both go through it, which is why they cannot disagree.

import { LedgerInvariantError, type SequencedEvent } from '../aggregate';
import type { CurrencyCode } from '../currencies';
import { balanceDelta, heldDelta } from '../events';
import { MAX_BALANCE_MINOR } from '../money';

export interface UnopenedAccount {
  readonly status: 'unopened';
  readonly version: 0;
}

/** A hold still reserving funds on the account, as far as its events say. */
export interface AccountHold {
  readonly holdId: string;
  readonly remainingMinor: bigint;
  /** From this instant on the hold no longer reserves anything, whether or not it was recorded. */
  readonly expiresAt: Date | null;
}

/**
 * Provisional credit a lost dispute could not take back because the balance did not cover it: the
 * account owes it, and incoming funds pay it off, oldest first.
 */
export interface AccountShortfall {
  readonly disputeId: string;
  readonly chargeEventId: string;
  readonly outstandingMinor: bigint;
}

export interface OpenAccount {
  readonly status: 'open';
  readonly accountId: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  /** What has been posted: every deposit, withdrawal, transfer, reversal and captured hold. */
  readonly balanceMinor: bigint;
  /** The holds placed and not yet captured in full, released or recorded as expired. */
  readonly holds: ReadonlyMap<string, AccountHold>;
  /** What lost disputes left owing, by dispute, in the order they were left (oldest first). */
  readonly shortfalls: ReadonlyMap<string, AccountShortfall>;
  readonly isFrozen: boolean;
  readonly frozenReason: string | null;
  /**
   * The sum of every backdated correction's effect (credits positive). The balance less this is
   * what the account's other events add up to; point-in-time answers add back only the
   * corrections effective — and known — by the instant asked about.
   */
  readonly correctionsMinor: bigint;
  /** The stream version: how many events the account has. */
  readonly version: number;
  readonly openedAt: Date;
  readonly lastOccurredAt: Date;
}

export type AccountState = UnopenedAccount | OpenAccount;

export const initialAccountState: UnopenedAccount = Object.freeze({
  status: 'unopened',
  version: 0,
});

/**
 * What the account's holds reserve at `instant`: a hold stops reserving exactly at its expiry,
 * even before its expiry is recorded as an event.
 */
export function heldAt(account: OpenAccount, instant: Date): bigint {
  let heldMinor = 0n;
  for (const hold of account.holds.values()) {
    if (hold.expiresAt === null || hold.expiresAt.getTime() > instant.getTime())
      heldMinor += hold.remainingMinor;
  }
  return heldMinor;
}

/**
 * What may leave the account at `instant`: the balance less what holds reserve then and less what
 * lost disputes left it owing (that is the ledger's money, collected from the next incoming funds;
 * never below nothing).
 */
export function availableAt(account: OpenAccount, instant: Date): bigint {
  const unreserved = account.balanceMinor - heldAt(account, instant);
  const owed = outstandingOf(account);
  return unreserved > owed ? unreserved - owed : 0n;
}

export function evolveAccount(state: AccountState, applied: SequencedEvent): AccountState {
  const { event } = applied;
  const accountId = applied.target.id;
  if (applied.version !== state.version + 1) {
    throw new LedgerInvariantError(
      `account ${accountId}: event version ${applied.version} does not follow ${state.version}`,
    );
  }
  if (event.type === 'account_opened') {
    if (state.status !== 'unopened') {
      throw new LedgerInvariantError(`account ${accountId} is opened twice`);
    }
    return {
      status: 'open',
      accountId: event.data.accountId,
      ownerId: event.data.ownerId,
      currency: event.data.currency,
      balanceMinor: 0n,
      holds: new Map(),
      shortfalls: new Map(),
      isFrozen: false,
      frozenReason: null,
      correctionsMinor: 0n,
      version: applied.version,
      openedAt: applied.occurredAt,
      lastOccurredAt: applied.occurredAt,
    };
  }
  if (state.status !== 'open') {
    throw new LedgerInvariantError(`account ${accountId}: ${event.type} before account_opened`);
  }
  if ('currency' in event.data && event.data.currency !== state.currency) {
    throw new LedgerInvariantError(`account ${accountId}: ${event.type} in ${event.data.currency}`);
  }
  const balanceMinor = state.balanceMinor + balanceDelta(event);
  if (balanceMinor < 0n || balanceMinor > MAX_BALANCE_MINOR) {
    throw new LedgerInvariantError(`account ${accountId}: balance ${balanceMinor} out of range`);
  }
  const base = {
    ...state,
    balanceMinor,
    holds: evolveHolds(state, applied),
    shortfalls: evolveShortfalls(state, applied),
    version: applied.version,
    lastOccurredAt: applied.occurredAt,
  };
  switch (event.type) {
    case 'account_frozen':
      return { ...base, isFrozen: true, frozenReason: event.data.reason };
    case 'account_unfrozen':
      return { ...base, isFrozen: false, frozenReason: null };
    case 'balance_corrected':
      return { ...base, correctionsMinor: state.correctionsMinor + balanceDelta(event) };
    default:
      return base;
  }
}

/** The account's holds after one of its events: placed, partly or fully captured, ended. */
function evolveHolds(
  state: OpenAccount,
  applied: SequencedEvent,
): ReadonlyMap<string, AccountHold> {
  const { event } = applied;
  const change = heldDelta(event);
  if (change === 0n || !('holdId' in event.data)) return state.holds;
  const holds = new Map(state.holds);
  const { holdId } = event.data;
  if (event.type === 'funds_held') {
    if (holds.has(holdId))
      throw new LedgerInvariantError(`account ${state.accountId}: hold ${holdId} placed twice`);
    holds.set(holdId, { holdId, remainingMinor: change, expiresAt: event.data.expiresAt });
    return holds;
  }
  const hold = holds.get(holdId);
  if (!hold || hold.remainingMinor + change < 0n)
    throw new LedgerInvariantError(
      `account ${state.accountId}: ${event.type} beyond what hold ${holdId} holds`,
    );
  const remainingMinor = hold.remainingMinor + change;
  if (event.type !== 'held_funds_captured' && remainingMinor !== 0n)
    throw new LedgerInvariantError(
      `account ${state.accountId}: ${event.type} frees ${-change} of hold ${holdId}, not all that remains`,
    );
  // A hold ends when it is released or expires (whatever remains is freed), or is captured in full.
  if (event.type !== 'held_funds_captured' || remainingMinor === 0n) holds.delete(holdId);
  else holds.set(holdId, { ...hold, remainingMinor });
  return holds;
}

/** The account's shortfalls after one of its events: left by a lost case, collected, written off. */
function evolveShortfalls(
  state: OpenAccount,
  applied: SequencedEvent,
): ReadonlyMap<string, AccountShortfall> {
  const { event } = applied;
  if (
    event.type !== 'charge_dispute_closed' &&
    event.type !== 'shortfall_collected' &&
    event.type !== 'shortfall_written_off'
  )
    return state.shortfalls;
  const { disputeId } = event.data;
  const shortfalls = new Map(state.shortfalls);
  const owed = shortfalls.get(disputeId);
  if (event.type === 'charge_dispute_closed') {
    if (event.data.outstandingMinor === 0n) return state.shortfalls;
    if (owed)
      throw new LedgerInvariantError(
        `account ${state.accountId}: dispute ${disputeId} closed twice`,
      );
    shortfalls.set(disputeId, {
      disputeId,
      chargeEventId: event.data.chargeEventId,
      outstandingMinor: event.data.outstandingMinor,
    });
    return shortfalls;
  }
  const outstandingMinor = (owed?.outstandingMinor ?? 0n) - event.data.amountMinor;
  if (!owed || outstandingMinor < 0n)
    throw new LedgerInvariantError(
      `account ${state.accountId}: ${event.type} beyond what dispute ${disputeId} left owing`,
    );
  if (event.type === 'shortfall_written_off' && outstandingMinor !== 0n)
    throw new LedgerInvariantError(
      `account ${state.accountId}: a write-off of dispute ${disputeId} must clear all it left owing`,
    );
  if (outstandingMinor === 0n) shortfalls.delete(disputeId);
  else shortfalls.set(disputeId, { ...owed, outstandingMinor });
  return shortfalls;
}

/** Everything the account owes from lost disputes. */
export function outstandingOf(account: OpenAccount): bigint {
  let owed = 0n;
  for (const shortfall of account.shortfalls.values()) owed += shortfall.outstandingMinor;
  return owed;
}
