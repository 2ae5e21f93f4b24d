import { describe, expect, it } from 'vitest';
import type { LedgerCommand } from '../commands';
import {
  NOW,
  T0,
  deposited,
  frozen,
  given,
  opened,
  reversed,
  when,
  withdrawn,
} from '../ledger-test-support';

const deposit = (accountId: string, amount: string): LedgerCommand => ({
  type: 'deposit',
  accountId,
  amount,
  source: 'ach',
  reference: 'r-1',
});
const withdraw = (accountId: string, amount: string): LedgerCommand => ({
  type: 'withdraw',
  accountId,
  amount,
  destination: 'card',
  reference: 'r-2',
});
const transfer = (fromAccountId: string, toAccountId: string, amount: string): LedgerCommand => ({
  type: 'transfer',
  transferId: 'transfer-1',
  fromAccountId,
  toAccountId,
  amount,
  reference: '',
});

describe('open_account', () => {
  it('opens an account in a known currency, stamped with the given instant', () => {
    const events = when(given(), {
      type: 'open_account',
      accountId: 'a',
      ownerId: ' owner-9 ',
      currency: 'JPY',
    }).thenEvents();
    expect(events).toEqual([
      {
        target: { kind: 'account', id: 'a' },
        occurredAt: NOW,
        event: {
          type: 'account_opened',
          schemaVersion: 1,
          data: { accountId: 'a', ownerId: 'owner-9', currency: 'JPY' },
        },
      },
    ]);
  });

  it('records an opening balance as a deposit in the same decision', () => {
    const events = when(given(), {
      type: 'open_account',
      accountId: 'a',
      ownerId: 'o',
      currency: 'USD',
      initialBalance: '60000.00',
    }).thenEvents();
    expect(events.map((item) => item.event.type)).toEqual(['account_opened', 'funds_deposited']);
    expect(events[1]?.event.data).toMatchObject({
      amountMinor: 6_000_000n,
      source: 'initial_balance',
    });
  });

  it('opens empty when the opening balance is zero', () => {
    const events = when(given(), {
      type: 'open_account',
      accountId: 'a',
      ownerId: 'o',
      currency: 'USD',
      initialBalance: '0.00',
    }).thenEvents();
    expect(events).toHaveLength(1);
  });

  it('refuses an id that is taken, an unknown currency, a bad id and a missing owner', () => {
    when(given(opened('a')), {
      type: 'open_account',
      accountId: 'a',
      ownerId: 'o',
      currency: 'USD',
    }).thenRefused('account_already_exists');
    when(given(), {
      type: 'open_account',
      accountId: 'a',
      ownerId: 'o',
      currency: 'ABC',
    }).thenRefused('validation_error', /Unknown currency/);
    when(given(), {
      type: 'open_account',
      accountId: 'has space',
      ownerId: 'o',
      currency: 'USD',
    }).thenRefused('validation_error');
    when(given(), {
      type: 'open_account',
      accountId: 'x'.repeat(65),
      ownerId: 'o',
      currency: 'USD',
    }).thenRefused('validation_error');
    when(given(), {
      type: 'open_account',
      accountId: 'a',
      ownerId: '  ',
      currency: 'USD',
    }).thenRefused('validation_error', /Owner id is required/);
  });
});

describe('deposit and withdraw', () => {
  it('deposits in the account currency', () => {
    const [decided] = when(given(opened('a', 'BHD')), deposit('a', '1.234')).thenEvents();
    expect(decided?.event).toEqual({
      type: 'funds_deposited',
      schemaVersion: 1,
      data: { amountMinor: 1234n, currency: 'BHD', source: 'ach', reference: 'r-1' },
    });
  });

  it('withdraws down to exactly zero but never below', () => {
    const state = given(opened('a'), deposited('a', 10_000n));
    expect(when(state, withdraw('a', '100.00')).thenEvents()[0]?.event.type).toBe(
      'funds_withdrawn',
    );
    when(state, withdraw('a', '100.01')).thenRefused('insufficient_funds', /holds 100.00 USD/);
  });

  it('refuses bad amounts before looking at the balance', () => {
    const state = given(opened('a'), deposited('a', 10_000n));
    when(state, withdraw('a', '0')).thenRefused('validation_error', /greater than zero/);
    when(state, withdraw('a', '-5')).thenRefused('validation_error', /negative/);
    when(state, deposit('a', '0.001')).thenRefused('validation_error', /2 decimal places/);
    when(state, deposit('a', '1e3')).thenRefused('validation_error', /exponent/);
  });

  it('refuses unknown and unopened accounts', () => {
    when(given(), deposit('nobody', '1.00')).thenRefused('not_found');
    when(given(opened('a')), withdraw('b', '1.00')).thenRefused('not_found');
  });

  it('lets money into a frozen account but not out of it', () => {
    const state = given(
      opened('a'),
      deposited('a', 10_000n),
      frozen('a', 'chargeback investigation'),
    );
    expect(when(state, deposit('a', '5.00')).thenEvents()).toHaveLength(1);
    when(state, withdraw('a', '5.00')).thenRefused('account_frozen', /chargeback investigation/);
  });
});

describe('transfer', () => {
  it('writes both legs with the same data', () => {
    const events = when(
      given(opened('a'), opened('b'), deposited('a', 5_000n)),
      transfer('a', 'b', '20.00'),
    ).thenEvents();
    expect(events.map((item) => [item.target.id, item.event.type])).toEqual([
      ['a', 'transfer_initiated'],
      ['b', 'transfer_completed'],
    ]);
    expect(events[0]?.event.data).toEqual(events[1]?.event.data);
    expect(events[0]?.event.data).toMatchObject({
      amountMinor: 2_000n,
      fromAccountId: 'a',
      toAccountId: 'b',
    });
  });

  it('refuses self transfers, cross-currency transfers, overdrafts and frozen sources', () => {
    const state = given(
      opened('a'),
      opened('b'),
      opened('y', 'JPY'),
      deposited('a', 5_000n),
      opened('f'),
      deposited('f', 5_000n),
      frozen('f'),
    );
    when(state, transfer('a', 'a', '1.00')).thenRefused('validation_error', /itself/);
    when(state, transfer('a', 'y', '1.00')).thenRefused('currency_mismatch');
    when(state, transfer('a', 'b', '50.01')).thenRefused('insufficient_funds');
    when(state, transfer('f', 'a', '1.00')).thenRefused('account_frozen');
    when(state, transfer('a', 'missing', '1.00')).thenRefused('not_found');
  });

  it('credits a frozen destination', () => {
    const state = given(opened('a'), opened('f'), deposited('a', 5_000n), frozen('f'));
    expect(when(state, transfer('a', 'f', '1.00')).thenEvents()).toHaveLength(2);
  });
});

describe('reverse_charge', () => {
  const chargeId = '00000000-0000-7000-8000-00000000c0de';
  const reverse = (amount?: string, originalEventId = chargeId): LedgerCommand => ({
    type: 'reverse_charge',
    accountId: 'a',
    originalEventId,
    amount,
    reason: 'customer dispute #42',
  });
  const charged = given(opened('a'), deposited('a', 10_000n), withdrawn('a', 3_000n, chargeId));

  it('reverses part of a charge, then the rest by default, then nothing more', () => {
    const partial = when(charged, reverse('10.00')).thenEvents();
    expect(partial[0]).toMatchObject({
      causationId: chargeId,
      event: {
        type: 'charge_reversed',
        data: { originalEventId: chargeId, amountMinor: 1_000n, reason: 'customer dispute #42' },
      },
    });
    const afterPartial = given(
      opened('a'),
      deposited('a', 10_000n),
      withdrawn('a', 3_000n, chargeId),
      reversed('a', chargeId, 1_000n),
    );
    expect(when(afterPartial, reverse()).thenEvents()[0]?.event.data).toMatchObject({
      amountMinor: 2_000n,
    });
    when(afterPartial, reverse('20.01')).thenRefused('reversal_exceeds_original', /Only 20.00 USD/);
    const full = given(
      opened('a'),
      deposited('a', 10_000n),
      withdrawn('a', 3_000n, chargeId),
      reversed('a', chargeId, 3_000n),
    );
    when(full, reverse('0.01')).thenRefused('reversal_exceeds_original', /fully reversed/);
  });

  it('refuses to reverse anything that is not a charge of this account', () => {
    when(charged, reverse(undefined, '00000000-0000-7000-8000-0000000000ff')).thenRefused(
      'not_reversible',
    );
    const otherAccounts = given(
      opened('a'),
      opened('b'),
      deposited('b', 10_000n),
      withdrawn('b', 3_000n, chargeId),
    );
    when(otherAccounts, reverse()).thenRefused('not_reversible');
  });

  it('requires a reason and posts to a frozen account', () => {
    when(charged, { ...reverse(), reason: ' ' } as LedgerCommand).thenRefused(
      'validation_error',
      /Reason is required/,
    );
    const frozenAfterCharge = given(
      opened('a'),
      deposited('a', 10_000n),
      withdrawn('a', 3_000n, chargeId),
      frozen('a'),
    );
    expect(when(frozenAfterCharge, reverse()).thenEvents()).toHaveLength(1);
  });
});

describe('freeze and unfreeze', () => {
  it('needs a reason and refuses changes that change nothing', () => {
    const open = given(opened('a'));
    expect(
      when(open, { type: 'freeze_account', accountId: 'a', reason: 'KYC' }).thenEvents()[0]?.event,
    ).toEqual({
      type: 'account_frozen',
      schemaVersion: 1,
      data: { reason: 'KYC' },
    });
    when(open, { type: 'freeze_account', accountId: 'a', reason: '' }).thenRefused(
      'validation_error',
    );
    when(open, { type: 'unfreeze_account', accountId: 'a', reason: 'ok' }).thenRefused(
      'not_frozen',
    );
    const isFrozen = given(opened('a'), frozen('a'));
    when(isFrozen, { type: 'freeze_account', accountId: 'a', reason: 'again' }).thenRefused(
      'already_frozen',
    );
    expect(
      when(isFrozen, {
        type: 'unfreeze_account',
        accountId: 'a',
        reason: 'cleared',
      }).thenEvents()[0]?.event.type,
    ).toBe('account_unfrozen');
  });
});

describe('given state', () => {
  it('is folded from events with increasing occurredAt', () => {
    const state = given(opened('a'), deposited('a', 1n));
    expect(state.account.get('a')).toMatchObject({ version: 2, balanceMinor: 1n, openedAt: T0 });
  });
});
