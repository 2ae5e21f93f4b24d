// Charges: money taken from an account that a customer may dispute — a withdrawal, or a captured
// hold — and how much of each has been given back. Folded from the account's own events; the
// deciders read them to refuse giving back more than was charged, by hand or through a dispute.

import { LedgerInvariantError, type SequencedEvent } from '../aggregate';

export interface ChargeState {
  readonly eventId: string;
  readonly accountId: string;
  readonly amountMinor: bigint;
  /**
   * What has been credited back against the charge: reversals, a won dispute's refund, the
   * provisional credit of a case still open, and the provisional credit a lost case could not take
   * back (a shortfall, account-state.ts). Only what a lost case did take back stops counting: a
   * shortfall counts until it is repaid and for ever once written off, so that no charge is ever
   * given back twice, through a second case or by hand. (Repaying a shortfall does not make the
   * charge reversible again: the conservative side.)
   */
  readonly reversedMinor: bigint;
  /** The dispute case open on the charge, if any: at most one at a time. */
  readonly disputeId: string | null;
  /** What the open case still reserves: its amount less the provisional credit already given. */
  readonly disputedMinor: bigint;
  /** The provisional credit the open case has given. */
  readonly provisionalMinor: bigint;
}

/** The account events that charge the account: what a reversal may credit back. */
export const CHARGE_EVENT_TYPES = ['funds_withdrawn', 'held_funds_captured'] as const;

export function isChargeEventType(type: string): type is (typeof CHARGE_EVENT_TYPES)[number] {
  return (CHARGE_EVENT_TYPES as readonly string[]).includes(type);
}

/** What may still be reversed by hand or disputed: neither given back nor reserved by a case. */
export function reversibleMinor(charge: ChargeState): bigint {
  return charge.amountMinor - charge.reversedMinor - charge.disputedMinor;
}

/** The id of the charge an event creates or changes, if any. */
export function chargeIdOf(applied: SequencedEvent): string | undefined {
  if (applied.target.kind !== 'account') return undefined;
  const { event } = applied;
  switch (event.type) {
    case 'funds_withdrawn':
    case 'held_funds_captured':
      return applied.eventId;
    case 'charge_reversed':
      return event.data.originalEventId;
    case 'charge_disputed':
    case 'provisional_credit_given':
    case 'charge_dispute_closed':
    case 'disputed_charge_refunded':
      return event.data.chargeEventId;
    default:
      // Taking back provisional credit and collecting or writing off a shortfall settle what the
      // account owes; the charge was settled when its case was closed.
      return undefined;
  }
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
      disputeId: null,
      disputedMinor: 0n,
      provisionalMinor: 0n,
    };
  }
  const chargeId = chargeIdOf(applied);
  if (chargeId === undefined) return charge;
  if (!charge || charge.eventId !== chargeId) {
    throw new LedgerInvariantError(`${event.type} ${applied.eventId} names no charge ${chargeId}`);
  }
  const next = nextCharge(charge, applied);
  if (
    next.reversedMinor < 0n ||
    next.disputedMinor < 0n ||
    next.reversedMinor + next.disputedMinor > next.amountMinor
  ) {
    throw new LedgerInvariantError(
      `charge ${charge.eventId}: ${event.type} gives back more than was charged`,
    );
  }
  return next;
}

function nextCharge(charge: ChargeState, applied: SequencedEvent): ChargeState {
  const { event } = applied;
  const requireCase = (disputeId: string) => {
    if (charge.disputeId !== disputeId)
      throw new LedgerInvariantError(
        `charge ${charge.eventId}: ${event.type} for dispute ${disputeId}, which is not open on it`,
      );
  };
  switch (event.type) {
    case 'charge_reversed':
    case 'disputed_charge_refunded':
      return { ...charge, reversedMinor: charge.reversedMinor + event.data.amountMinor };
    case 'charge_disputed':
      if (charge.disputeId !== null)
        throw new LedgerInvariantError(`charge ${charge.eventId} is disputed twice at once`);
      return {
        ...charge,
        disputeId: event.data.disputeId,
        disputedMinor: event.data.amountMinor,
        provisionalMinor: 0n,
      };
    case 'provisional_credit_given':
      requireCase(event.data.disputeId);
      return {
        ...charge,
        reversedMinor: charge.reversedMinor + event.data.amountMinor,
        disputedMinor: charge.disputedMinor - event.data.amountMinor,
        provisionalMinor: charge.provisionalMinor + event.data.amountMinor,
      };
    case 'charge_dispute_closed':
      requireCase(event.data.disputeId);
      if (event.data.outstandingMinor > charge.provisionalMinor)
        throw new LedgerInvariantError(
          `charge ${charge.eventId}: dispute ${event.data.disputeId} leaves more owing than it credited`,
        );
      return {
        ...charge,
        // Won: the provisional credit is final. Otherwise what is taken back now no longer counts
        // as given back; what the account could not repay still does.
        reversedMinor:
          event.data.outcome === 'won'
            ? charge.reversedMinor
            : charge.reversedMinor - (charge.provisionalMinor - event.data.outstandingMinor),
        disputeId: null,
        disputedMinor: 0n,
        provisionalMinor: 0n,
      };
    default:
      throw new LedgerInvariantError(`${event.type} does not concern a charge`);
  }
}
