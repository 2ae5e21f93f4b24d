// Builders for given/when/then specs of the deciders. Test-only.

import { AppError, type ErrorCode } from '../errors';
import { refOf, type AggregateRef, type DecidedEvent, type SequencedEvent } from './aggregate';
import { decide, type LedgerCommand } from './commands';
import type { LedgerEvent } from './events';
import { emptyLedgerState, type LedgerState } from './ledger-state';
import { applyEvents } from './replay';
import { expect } from 'vitest';

export const T0 = new Date('2026-03-15T14:47:00.000Z');
/** The instant the specs decide at: after every given event. */
export const NOW = new Date('2026-04-01T12:00:00.000Z');

let counter = 0;
export function testEventId(): string {
  counter += 1;
  return `00000000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export interface GivenEvent {
  readonly target: AggregateRef;
  readonly event: LedgerEvent;
  readonly eventId?: string;
}

const onAccount = (accountId: string, event: LedgerEvent, eventId?: string): GivenEvent => ({
  target: refOf('account', accountId),
  event,
  ...(eventId ? { eventId } : {}),
});

export const opened = (accountId: string, currency = 'USD', ownerId = 'owner-1'): GivenEvent =>
  onAccount(accountId, {
    type: 'account_opened',
    schemaVersion: 1,
    data: { accountId, ownerId, currency: currency as 'USD' },
  });

export const deposited = (accountId: string, amountMinor: bigint, currency = 'USD'): GivenEvent =>
  onAccount(accountId, {
    type: 'funds_deposited',
    schemaVersion: 1,
    data: { amountMinor, currency: currency as 'USD', source: '', reference: '' },
  });

export const withdrawn = (
  accountId: string,
  amountMinor: bigint,
  eventId = testEventId(),
): GivenEvent =>
  onAccount(
    accountId,
    {
      type: 'funds_withdrawn',
      schemaVersion: 1,
      data: { amountMinor, currency: 'USD', destination: '', reference: '' },
    },
    eventId,
  );

export const reversed = (
  accountId: string,
  originalEventId: string,
  amountMinor: bigint,
): GivenEvent =>
  onAccount(accountId, {
    type: 'charge_reversed',
    schemaVersion: 1,
    data: { originalEventId, amountMinor, currency: 'USD', reason: 'dispute' },
  });

export const frozen = (accountId: string, reason = 'fraud review'): GivenEvent =>
  onAccount(accountId, { type: 'account_frozen', schemaVersion: 1, data: { reason } });

/** A hold placed on an account: the hold's event and the account's, as the decider writes them. */
export const holdPlaced = (
  holdId: string,
  accountId: string,
  amountMinor: bigint,
  expiresAt: Date | null = null,
): GivenEvent[] => {
  const data = {
    holdId,
    amountMinor,
    currency: 'USD' as const,
    expiresAt,
    reason: 'auth',
    reference: '',
  };
  return [
    {
      target: refOf('hold', holdId),
      event: { type: 'hold_placed', schemaVersion: 1, data: { ...data, accountId } },
    },
    onAccount(accountId, { type: 'funds_held', schemaVersion: 1, data }),
  ];
};

export const holdCaptured = (
  holdId: string,
  accountId: string,
  amountMinor: bigint,
  eventId = testEventId(),
): GivenEvent[] => {
  const data = { holdId, amountMinor, currency: 'USD' as const };
  return [
    {
      target: refOf('hold', holdId),
      event: { type: 'hold_captured', schemaVersion: 1, data: { ...data, accountId } },
    },
    onAccount(accountId, { type: 'held_funds_captured', schemaVersion: 1, data }, eventId),
  ];
};

/** The ledger state after the given events, each one a minute after the previous, from T0. */
export function given(...events: Array<GivenEvent | GivenEvent[]>): LedgerState {
  const versions = new Map<string, number>();
  const applied: SequencedEvent[] = events.flat().map((item, index) => {
    const key = `${item.target.kind}-${item.target.id}`;
    const version = (versions.get(key) ?? 0) + 1;
    versions.set(key, version);
    return {
      eventId: item.eventId ?? testEventId(),
      target: item.target,
      version,
      occurredAt: new Date(T0.getTime() + index * 60_000),
      event: item.event,
    };
  });
  return applyEvents(emptyLedgerState, applied);
}

/** When `command` is decided against `state` at `now`: its events, or its refusal. */
export function when(state: LedgerState, command: LedgerCommand, now = NOW) {
  return {
    thenEvents: (): DecidedEvent[] => decide(command, state, now),
    thenRefused: (code: ErrorCode, message?: RegExp): AppError => {
      let caught: unknown;
      try {
        decide(command, state, now);
      } catch (error) {
        caught = error;
      }
      expect(caught, `expected ${command.type} to be refused with ${code}`).toBeInstanceOf(
        AppError,
      );
      expect((caught as AppError).code).toBe(code);
      if (message) expect((caught as AppError).message).toMatch(message);
      return caught as AppError;
    },
  };
}
