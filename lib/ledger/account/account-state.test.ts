import { describe, expect, it } from 'vitest';
import { LedgerInvariantError, refOf } from '../aggregate';
import { T0, deposited, given, holdCaptured, holdPlaced, opened } from '../ledger-test-support';
import {
  availableAt,
  evolveAccount,
  heldAt,
  initialAccountState,
  type OpenAccount,
} from './account-state';

const account = (state: ReturnType<typeof given>, id = 'a') => state.account.get(id) as OpenAccount;

describe('evolveAccount', () => {
  it('refuses history that skips a version or opens twice or goes negative', () => {
    const state = account(given(opened('a'), deposited('a', 100n)));
    const base = { eventId: 'e', target: refOf('account', 'a'), occurredAt: T0 };
    expect(() =>
      evolveAccount(state, {
        ...base,
        version: 4,
        event: { type: 'account_frozen', schemaVersion: 1, data: { reason: 'x' } },
      }),
    ).toThrow(LedgerInvariantError);
    expect(() =>
      evolveAccount(state, {
        ...base,
        version: 3,
        event: {
          type: 'account_opened',
          schemaVersion: 1,
          data: { accountId: 'a', ownerId: 'o', currency: 'USD' },
        },
      }),
    ).toThrow(/opened twice/);
    expect(() =>
      evolveAccount(state, {
        ...base,
        version: 3,
        event: {
          type: 'funds_withdrawn',
          schemaVersion: 1,
          data: { amountMinor: 101n, currency: 'USD', destination: '', reference: '' },
        },
      }),
    ).toThrow(/out of range/);
    expect(() =>
      evolveAccount(initialAccountState, {
        ...base,
        version: 1,
        event: { type: 'account_frozen', schemaVersion: 1, data: { reason: 'x' } },
      }),
    ).toThrow(/before account_opened/);
  });

  it('refuses to free more of a hold than it holds', () => {
    const state = account(given(opened('a'), deposited('a', 100n), holdPlaced('h', 'a', 40n)));
    expect(() =>
      evolveAccount(state, {
        eventId: 'e',
        target: refOf('account', 'a'),
        occurredAt: T0,
        version: state.version + 1,
        event: {
          type: 'held_funds_captured',
          schemaVersion: 1,
          data: { holdId: 'h', amountMinor: 41n, currency: 'USD' },
        },
      }),
    ).toThrow(/beyond what hold h holds/);
  });
});

describe('holds on an account', () => {
  const expiry = new Date(T0.getTime() + 3_600_000);

  it('reserve funds until captured: the capture posts, what remains stays held', () => {
    const placed = account(
      given(opened('a'), deposited('a', 10_000n), holdPlaced('h', 'a', 3_000n)),
    );
    expect(placed.balanceMinor).toBe(10_000n);
    expect(heldAt(placed, T0)).toBe(3_000n);
    expect(availableAt(placed, T0)).toBe(7_000n);

    const captured = account(
      given(
        opened('a'),
        deposited('a', 10_000n),
        holdPlaced('h', 'a', 3_000n),
        holdCaptured('h', 'a', 1_000n),
      ),
    );
    expect(captured.balanceMinor).toBe(9_000n);
    expect(heldAt(captured, T0)).toBe(2_000n);
    expect(availableAt(captured, T0)).toBe(7_000n);
  });

  it('stop reserving exactly at their expiry, before anything records it', () => {
    const state = account(
      given(opened('a'), deposited('a', 10_000n), holdPlaced('h', 'a', 3_000n, expiry)),
    );
    expect(availableAt(state, new Date(expiry.getTime() - 1))).toBe(7_000n);
    expect(availableAt(state, expiry)).toBe(10_000n);
  });
});
