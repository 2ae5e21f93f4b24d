// The shapes pages and client components receive: plain JSON, amounts as strings of minor units,
// instants as ISO strings. Converters live in lib/server/to-view-models.ts.

import type { CurrencyCode } from './ledger/currencies';

export interface AccountViewModel {
  readonly id: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  /** What has been posted. */
  readonly balanceMinor: string;
  /** What active holds reserve of it. */
  readonly heldMinor: string;
  /** What may leave: the balance less what is held and what lost disputes left owing. */
  readonly availableMinor: string;
  readonly frozen: boolean;
  readonly frozenReason: string | null;
  readonly version: number;
  readonly openedAt: string;
  readonly lastEventAt: string;
  readonly updatedAt: string;
}

/** A hold as the account page lists it. */
export interface HoldViewModel {
  readonly id: string;
  readonly amountMinor: string;
  readonly capturedMinor: string;
  /** What it still reserves (at the instant the view is of). */
  readonly remainingMinor: string;
  readonly reason: string;
  readonly reference: string;
  readonly placedAt: string;
  readonly expiresAt: string | null;
}

export interface EventViewModel {
  readonly eventId: string;
  readonly streamId: string;
  /** The account the stream belongs to, when it is an account stream. */
  readonly accountId: string | null;
  readonly version: number;
  readonly position: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: {
    readonly actor: string;
    readonly correlationId: string;
    readonly causationId?: string;
    readonly [key: string]: unknown;
  };
  /** Who the actor is, in words ("Sam Support (support@…)"). */
  readonly actorLabel: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly hash: string;
  readonly prevHash: string;
}

export interface TimelineEntryViewModel {
  readonly event: EventViewModel;
  readonly amountDeltaMinor: string;
  readonly balanceAfterMinor: string;
  readonly frozenAfter: boolean;
  /** For withdrawals: how much has been reversed so far. */
  readonly reversedMinor: string | null;
  /** For charges: what may still be reversed or disputed, and the case open on it. */
  readonly charge: ChargeViewModel | null;
}

/** Where a charge stands for the actions on it (reverse, open a dispute). */
export interface ChargeViewModel {
  /** Neither given back nor reserved by an open dispute case. */
  readonly reversibleMinor: string;
  readonly openDisputeId: string | null;
}

export interface AsOfViewModel {
  readonly account: AccountViewModel;
  readonly asOf: string;
  /** Only what had been recorded by then; null: as known now. */
  readonly knownAt: string | null;
  /** How much of the balance is backdated corrections. */
  readonly correctionsMinor: string;
  readonly lastEvent: {
    readonly eventId: string;
    readonly version: number;
    readonly type: string;
    readonly occurredAt: string;
  };
  /** The holds that reserved funds at that instant, oldest first. */
  readonly holds: readonly HoldViewModel[];
}

export interface BalancePoint {
  readonly version: number;
  readonly occurredAt: string;
  /** As we know it now: backdated corrections counted from their effective instants. */
  readonly balanceMinor: string;
  /** As Chronicle showed it then: only what had been recorded by this instant. */
  readonly shownThenMinor: string;
  /** This sample is a backdated correction's effective instant. */
  readonly correction?: true;
}
