// The state of one hold (an authorisation) as a fold over its stream's events. A hold reserves an
// amount on an account until it is captured (in one or several parts), released, or expires.

import { LedgerInvariantError, type SequencedEvent } from '../aggregate';
import type { CurrencyCode } from '../currencies';

export type HoldStatus = 'active' | 'captured' | 'released' | 'expired';

export interface NoHold {
  readonly status: 'none';
  readonly version: 0;
}

export interface PlacedHold {
  /** As recorded: an active hold past its expiry is still `active` here until it is recorded. */
  readonly status: HoldStatus;
  readonly holdId: string;
  readonly accountId: string;
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
  readonly capturedMinor: bigint;
  readonly expiresAt: Date | null;
  readonly reason: string;
  readonly reference: string;
  readonly version: number;
  readonly placedAt: Date;
  readonly lastOccurredAt: Date;
}

export type HoldState = NoHold | PlacedHold;

export const initialHoldState: NoHold = Object.freeze({ status: 'none', version: 0 });

/** The hold's status at `instant`: an active hold stops reserving exactly at its expiry. */
export function holdStatusAt(hold: PlacedHold, instant: Date): HoldStatus {
  if (
    hold.status === 'active' &&
    hold.expiresAt !== null &&
    hold.expiresAt.getTime() <= instant.getTime()
  )
    return 'expired';
  return hold.status;
}

/** What the hold still reserves at `instant`. */
export function remainingAt(hold: PlacedHold, instant: Date): bigint {
  return holdStatusAt(hold, instant) === 'active' ? hold.amountMinor - hold.capturedMinor : 0n;
}

export function evolveHold(state: HoldState, applied: SequencedEvent): HoldState {
  const { event } = applied;
  const holdId = applied.target.id;
  if (applied.version !== state.version + 1) {
    throw new LedgerInvariantError(
      `hold ${holdId}: event version ${applied.version} does not follow ${state.version}`,
    );
  }
  if (event.type === 'hold_placed') {
    if (state.status !== 'none') throw new LedgerInvariantError(`hold ${holdId} is placed twice`);
    return {
      status: 'active',
      holdId,
      accountId: event.data.accountId,
      currency: event.data.currency,
      amountMinor: event.data.amountMinor,
      capturedMinor: 0n,
      expiresAt: event.data.expiresAt,
      reason: event.data.reason,
      reference: event.data.reference,
      version: applied.version,
      placedAt: applied.occurredAt,
      lastOccurredAt: applied.occurredAt,
    };
  }
  if (state.status !== 'active') {
    throw new LedgerInvariantError(
      `hold ${holdId}: ${event.type} on a hold that is ${state.status}`,
    );
  }
  const base = { ...state, version: applied.version, lastOccurredAt: applied.occurredAt };
  switch (event.type) {
    case 'hold_captured': {
      const capturedMinor = state.capturedMinor + event.data.amountMinor;
      if (capturedMinor > state.amountMinor)
        throw new LedgerInvariantError(`hold ${holdId} captured beyond its amount`);
      return {
        ...base,
        capturedMinor,
        status: capturedMinor === state.amountMinor ? 'captured' : 'active',
      };
    }
    case 'hold_released':
      return { ...base, status: 'released' };
    case 'hold_expired':
      return { ...base, status: 'expired' };
    default:
      throw new LedgerInvariantError(`hold ${holdId}: ${event.type} is not a hold event`);
  }
}
