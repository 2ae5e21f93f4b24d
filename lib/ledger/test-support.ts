// Builders for given/when/then specs of the decider. Test-only.

import type { AccountEvent } from './account';
import type { LedgerState } from './decide';
import type { LedgerEvent } from './events';
import { applyEvents, emptyLedgerState } from './replay';

export const T0 = new Date('2026-03-15T14:47:00.000Z');

let counter = 0;
export function testEventId(): string {
  counter += 1;
  return `00000000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export interface GivenEvent {
  readonly accountId: string;
  readonly event: LedgerEvent;
  readonly eventId?: string;
}

export const opened = (accountId: string, currency = 'USD', ownerId = 'owner-1'): GivenEvent => ({
  accountId,
  event: {
    type: 'account_opened',
    schemaVersion: 1,
    data: { accountId, ownerId, currency: currency as 'USD' },
  },
});

export const deposited = (
  accountId: string,
  amountMinor: bigint,
  currency = 'USD',
): GivenEvent => ({
  accountId,
  event: {
    type: 'funds_deposited',
    schemaVersion: 1,
    data: { amountMinor, currency: currency as 'USD', source: '', reference: '' },
  },
});

export const withdrawn = (
  accountId: string,
  amountMinor: bigint,
  eventId = testEventId(),
): GivenEvent => ({
  accountId,
  eventId,
  event: {
    type: 'funds_withdrawn',
    schemaVersion: 1,
    data: { amountMinor, currency: 'USD', destination: '', reference: '' },
  },
});

export const reversed = (
  accountId: string,
  originalEventId: string,
  amountMinor: bigint,
): GivenEvent => ({
  accountId,
  event: {
    type: 'charge_reversed',
    schemaVersion: 1,
    data: { originalEventId, amountMinor, currency: 'USD', reason: 'dispute' },
  },
});

export const frozen = (accountId: string, reason = 'fraud review'): GivenEvent => ({
  accountId,
  event: { type: 'account_frozen', schemaVersion: 1, data: { reason } },
});

/** The ledger state after the given events, each one a minute after the previous. */
export function given(...events: GivenEvent[]): LedgerState {
  const versions = new Map<string, number>();
  const applied: AccountEvent[] = events.map((item, index) => {
    const version = (versions.get(item.accountId) ?? 0) + 1;
    versions.set(item.accountId, version);
    return {
      eventId: item.eventId ?? testEventId(),
      accountId: item.accountId,
      version,
      occurredAt: new Date(T0.getTime() + index * 60_000),
      event: item.event,
    };
  });
  return applyEvents(emptyLedgerState, applied);
}
