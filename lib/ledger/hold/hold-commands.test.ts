// Holds, given/when/then: place reserves what is available, captures post a debit up to what the
// hold still reserves, release frees it, and an expired hold is decided by the instant.

import { describe, expect, it } from 'vitest';
import type { LedgerCommand } from '../commands';
import {
  NOW,
  deposited,
  frozen,
  given,
  holdCaptured,
  holdPlaced,
  opened,
  when,
} from '../ledger-test-support';

const HOLD = '0195a1b2-c3d4-7e5f-8a9b-00000000a001';
const OTHER = '0195a1b2-c3d4-7e5f-8a9b-00000000a002';

const place = (amount: string, expiresAt: Date | null = null, holdId = HOLD): LedgerCommand => ({
  type: 'place_hold',
  holdId,
  accountId: 'a',
  amount,
  reason: 'card authorisation',
  reference: 'AUTH-1',
  expiresAt,
});
const capture = (amount?: string): LedgerCommand => ({
  type: 'capture_hold',
  holdId: HOLD,
  accountId: 'a',
  amount,
});
const release = (reason = 'customer cancelled'): LedgerCommand => ({
  type: 'release_hold',
  holdId: HOLD,
  accountId: 'a',
  reason,
});
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('place_hold', () => {
  it('records the hold and the account’s side of it', () => {
    const events = when(
      given(opened('a'), deposited('a', 10_000n)),
      place('30.00', later(60)),
    ).thenEvents();
    expect(events.map((item) => [item.target, item.event.type])).toEqual([
      [{ kind: 'hold', id: HOLD }, 'hold_placed'],
      [{ kind: 'account', id: 'a' }, 'funds_held'],
    ]);
    expect(events[0]?.event.data).toMatchObject({
      accountId: 'a',
      amountMinor: 3_000n,
      expiresAt: later(60),
      reason: 'card authorisation',
      reference: 'AUTH-1',
    });
  });

  it('reserves only what is available: the balance less other holds', () => {
    const state = given(opened('a'), deposited('a', 10_000n), holdPlaced(OTHER, 'a', 6_000n));
    expect(when(state, place('40.00')).thenEvents()).toHaveLength(2);
    when(state, place('40.01')).thenRefused('insufficient_funds', /40.00 USD available/);
    // A withdrawal sees the same availability.
    when(state, {
      type: 'withdraw',
      accountId: 'a',
      amount: '40.01',
      destination: '',
      reference: '',
    }).thenRefused('insufficient_funds');
  });

  it('counts an expired hold as free from its expiry on', () => {
    const state = given(
      opened('a'),
      deposited('a', 10_000n),
      holdPlaced(OTHER, 'a', 6_000n, later(10)),
    );
    when(state, place('100.00'), later(9)).thenRefused('insufficient_funds');
    expect(when(state, place('100.00'), later(10)).thenEvents()).toHaveLength(2);
  });

  it('refuses a frozen account, an expiry in the past or too far away, and a missing reason', () => {
    when(given(opened('a'), deposited('a', 10_000n), frozen('a')), place('1.00')).thenRefused(
      'account_frozen',
    );
    const state = given(opened('a'), deposited('a', 10_000n));
    when(state, place('1.00', NOW)).thenRefused('validation_error', /in the future/);
    when(state, place('1.00', later(91 * 24 * 60))).thenRefused('validation_error', /90 days/);
    when(state, { ...place('1.00'), reason: ' ' } as LedgerCommand).thenRefused('validation_error');
    when(state, place('1.00', null, 'not-a-uuid')).thenRefused('validation_error');
  });
});

describe('capture_hold', () => {
  const held = given(
    opened('a'),
    deposited('a', 10_000n),
    holdPlaced(HOLD, 'a', 5_000n, later(60)),
  );

  it('captures part, then by default all that remains, and never more', () => {
    const part = when(held, capture('20.00')).thenEvents();
    expect(part.map((item) => item.event.type)).toEqual(['hold_captured', 'held_funds_captured']);
    expect(part[1]?.event.data).toMatchObject({ amountMinor: 2_000n });
    const afterPart = given(
      opened('a'),
      deposited('a', 10_000n),
      holdPlaced(HOLD, 'a', 5_000n, later(60)),
      holdCaptured(HOLD, 'a', 2_000n),
    );
    expect(when(afterPart, capture()).thenEvents()[0]?.event.data).toMatchObject({
      amountMinor: 3_000n,
    });
    when(afterPart, capture('30.01')).thenRefused('capture_exceeds_hold', /Only 30.00 USD/);
  });

  it('is decided by the instant: before the expiry it captures, from it on it is refused', () => {
    expect(when(held, capture(), later(59)).thenEvents()).toHaveLength(2);
    when(held, capture(), later(60)).thenRefused('hold_not_active', /expired/);
  });

  it('refuses a hold captured in full, released, on another account, or on a frozen account', () => {
    const full = given(
      opened('a'),
      deposited('a', 10_000n),
      holdPlaced(HOLD, 'a', 5_000n),
      holdCaptured(HOLD, 'a', 5_000n),
    );
    when(full, capture()).thenRefused('hold_not_active', /captured in full/);
    when(held, { ...capture(), accountId: 'b' } as LedgerCommand).thenRefused('not_found');
    const frozenAfter = given(
      opened('a'),
      deposited('a', 10_000n),
      holdPlaced(HOLD, 'a', 5_000n),
      frozen('a'),
    );
    when(frozenAfter, capture()).thenRefused('account_frozen');
  });
});

describe('release_hold and expire_hold', () => {
  const held = given(
    opened('a'),
    deposited('a', 10_000n),
    holdPlaced(HOLD, 'a', 5_000n, later(60)),
  );

  it('releases what remains, with a reason', () => {
    const events = when(held, release()).thenEvents();
    expect(events.map((item) => item.event.type)).toEqual(['hold_released', 'held_funds_released']);
    expect(events[1]?.event.data).toMatchObject({
      amountMinor: 5_000n,
      reason: 'customer cancelled',
    });
    when(held, release(' ')).thenRefused('validation_error');
    when(held, release(), later(60)).thenRefused('hold_not_active');
  });

  it('records an expiry only once it has come', () => {
    const expire: LedgerCommand = { type: 'expire_hold', holdId: HOLD, accountId: 'a' };
    when(held, expire, later(59)).thenRefused('validation_error', /does not expire until/);
    expect(
      when(held, expire, later(60))
        .thenEvents()
        .map((item) => item.event.type),
    ).toEqual(['hold_expired', 'held_funds_expired']);
  });
});
