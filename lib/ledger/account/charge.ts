// Charges: money taken from an account that a customer may dispute — a withdrawal, or a captured
// hold — and how much of each has been reversed. Folded from the account's own events; the
// decider reads them to refuse reversing more than was charged.

import { LedgerInvariantError, type SequencedEvent } from '../aggregate';

export interface ChargeState {
  readonly eventId: string;
  readonly accountId: string;
  readonly amountMinor: bigint;
  readonly reversedMinor: bigint;
}

/** The account events that charge the account: what a reversal may credit back. */
export const CHARGE_EVENT_TYPES = ['funds_withdrawn', 'held_funds_captured'] as const;

export function isChargeEventType(type: string): type is (typeof CHARGE_EVENT_TYPES)[number] {
  return (CHARGE_EVENT_TYPES as readonly string[]).includes(type);
}

/** The id of the charge an event creates or changes, if any. */
export function chargeIdOf(applied: SequencedEvent): string | undefined {
  if (applied.target.kind !== 'account') return undefined;
  const { event } = applied;
  if (isChargeEventType(event.type)) return applied.eventId;
  if (event.type === 'charge_reversed') return event.data.originalEventId;
  return undefined;
}

/** Folds a charge-related event into the charge it concerns; other events leave it unchanged. */
export function evolveCharge(
  charge: ChargeState | undefined,
  applied: SequencedEvent,
): ChargeState | undefined {
  const { event } = applied;
  if (event.type === 'funds_withdrawn' || event.type === 'held_funds_captured') {
    return {
      eventId: applied.eventId,
      accountId: applied.target.id,
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
