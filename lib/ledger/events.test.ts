import { describe, expect, it } from 'vitest';
import { accountIdOfStream, movementOf } from './events';

describe('movementOf', () => {
  it('gives the signed effect of a stored event on its balance, with its currency', () => {
    expect(
      movementOf({
        type: 'funds_withdrawn',
        schemaVersion: 1,
        data: { amountMinor: '1250', currency: 'USD', destination: 'Card', reference: 'R-1' },
      }),
    ).toEqual({ deltaMinor: -1250n, currency: 'USD' });
    expect(
      movementOf({
        type: 'account_opened',
        schemaVersion: 1,
        data: { accountId: 'acc_1', ownerId: 'owner', currency: 'JPY' },
      }),
    ).toBeNull();
    expect(
      movementOf({
        type: 'held_funds_captured',
        schemaVersion: 1,
        data: { holdId: 'h', amountMinor: '700', currency: 'USD' },
      }),
    ).toEqual({ deltaMinor: -700n, currency: 'USD' });
  });

  it('is null for events that post nothing and for events this build cannot decode', () => {
    expect(
      movementOf({ type: 'account_frozen', schemaVersion: 1, data: { reason: 'dispute' } }),
    ).toBeNull();
    expect(movementOf({ type: 'funds_teleported', schemaVersion: 1, data: {} })).toBeNull();
    expect(
      movementOf({ type: 'funds_deposited', schemaVersion: 1, data: { amountMinor: 12 } }),
    ).toBeNull();
  });
});

describe('account streams', () => {
  it('names the account of an account stream and nothing for other streams', () => {
    expect(accountIdOfStream('account-acc_1')).toBe('acc_1');
    expect(accountIdOfStream('system-jobs')).toBeNull();
  });
});
