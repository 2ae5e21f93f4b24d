// The shapes pages and client components receive: plain JSON, amounts as strings of minor units,
// instants as ISO strings. Converters live in lib/server/to-view-models.ts.

import type { CurrencyCode } from './ledger/currencies';

export interface AccountViewModel {
  readonly id: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  readonly balanceMinor: string;
  readonly frozen: boolean;
  readonly frozenReason: string | null;
  readonly version: number;
  readonly openedAt: string;
  readonly lastEventAt: string;
  readonly updatedAt: string;
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
}

export interface AsOfViewModel {
  readonly account: AccountViewModel;
  readonly asOf: string;
  readonly lastEvent: {
    readonly eventId: string;
    readonly version: number;
    readonly type: string;
    readonly occurredAt: string;
  };
}

export interface BalancePoint {
  readonly version: number;
  readonly occurredAt: string;
  readonly balanceMinor: string;
}
