// Every kind of bad input is refused with a typed error, and the database is left exactly as it
// was: no events, no projection rows, no consumed idempotency keys.

import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { context, openTestAccount, separatePool, tableCounts } from '../../../test/support';
import { withdrawFunds } from './withdraw-funds';
import { depositFunds } from './deposit-funds';
import { freezeAccount } from './freeze-account';
import { openAccount } from './open-account';
import { reverseCharge } from './reverse-charge';
import { transferFunds } from './transfer-funds';
import { unfreezeAccount } from './unfreeze-account';

interface Fixture {
  usd: string;
  usd2: string;
  jpy: string;
  frozen: string;
  chargeId: string;
  depositId: string;
  reversalId: string;
}

describe('bad input writes nothing', () => {
  const f = {} as Fixture;
  beforeAll(async () => {
    f.usd = await openTestAccount({ balance: '100.00' });
    f.usd2 = await openTestAccount({ balance: '1.00' });
    f.jpy = await openTestAccount({ balance: '500', currency: 'JPY' });
    const charge = await withdrawFunds({
      accountId: f.usd,
      input: { amount: '10.00' },
      context: context(),
    });
    f.chargeId = charge.events[0]?.eventId as string;
    const deposit = await depositFunds({
      accountId: f.usd,
      input: { amount: '1.00' },
      context: context(),
    });
    f.depositId = deposit.events[0]?.eventId as string;
    const reversal = await reverseCharge({
      input: { originalEventId: f.chargeId, amount: '1.00', reason: 'test' },
      context: context(),
    });
    f.reversalId = reversal.events[0]?.eventId as string;
    f.frozen = await openTestAccount({ balance: '5.00' });
    await freezeAccount({
      accountId: f.frozen,
      input: { reason: 'fraud review' },
      context: context(),
    });
  });

  const attempts: Array<[string, string, () => Promise<unknown>]> = [
    [
      'negative amount',
      'validation_error',
      () => depositFunds({ accountId: f.usd, input: { amount: '-5' }, context: context() }),
    ],
    [
      'zero amount',
      'validation_error',
      () => depositFunds({ accountId: f.usd, input: { amount: '0' }, context: context() }),
    ],
    [
      'exponent form',
      'validation_error',
      () => depositFunds({ accountId: f.usd, input: { amount: '1e3' }, context: context() }),
    ],
    [
      'NaN',
      'validation_error',
      () => depositFunds({ accountId: f.usd, input: { amount: 'NaN' }, context: context() }),
    ],
    [
      'too many decimals',
      'validation_error',
      () => depositFunds({ accountId: f.usd, input: { amount: '0.001' }, context: context() }),
    ],
    [
      'decimals on JPY',
      'validation_error',
      () => depositFunds({ accountId: f.jpy, input: { amount: '1.5' }, context: context() }),
    ],
    [
      'too large',
      'validation_error',
      () =>
        depositFunds({
          accountId: f.usd,
          input: { amount: '99999999999999999999999' },
          context: context(),
        }),
    ],
    [
      'a number instead of a string',
      'validation_error',
      () =>
        depositFunds({
          accountId: f.usd,
          input: { amount: 5 as unknown as string },
          context: context(),
        }),
    ],
    [
      'unknown account',
      'not_found',
      () =>
        depositFunds({
          accountId: 'no-such-account',
          input: { amount: '1.00' },
          context: context(),
        }),
    ],
    [
      'malformed account id',
      'validation_error',
      () => depositFunds({ accountId: 'bad id!', input: { amount: '1.00' }, context: context() }),
    ],
    [
      'overdraft',
      'insufficient_funds',
      () => withdrawFunds({ accountId: f.usd2, input: { amount: '1.01' }, context: context() }),
    ],
    [
      'withdrawal from a f.frozen account',
      'account_frozen',
      () => withdrawFunds({ accountId: f.frozen, input: { amount: '1.00' }, context: context() }),
    ],
    [
      'transfer to self',
      'validation_error',
      () =>
        transferFunds({
          input: { fromAccountId: f.usd, toAccountId: f.usd, amount: '1.00' },
          context: context(),
        }),
    ],
    [
      'transfer across currencies',
      'currency_mismatch',
      () =>
        transferFunds({
          input: { fromAccountId: f.usd, toAccountId: f.jpy, amount: '1' },
          context: context(),
        }),
    ],
    [
      'transfer from a f.frozen account',
      'account_frozen',
      () =>
        transferFunds({
          input: { fromAccountId: f.frozen, toAccountId: f.usd, amount: '1.00' },
          context: context(),
        }),
    ],
    [
      'over-reversal',
      'reversal_exceeds_original',
      () =>
        reverseCharge({
          input: { originalEventId: f.chargeId, amount: '9.01', reason: 'x' },
          context: context(),
        }),
    ],
    [
      'reversal of a deposit',
      'not_reversible',
      () =>
        reverseCharge({ input: { originalEventId: f.depositId, reason: 'x' }, context: context() }),
    ],
    [
      'reversal of a reversal',
      'not_reversible',
      () =>
        reverseCharge({
          input: { originalEventId: f.reversalId, reason: 'x' },
          context: context(),
        }),
    ],
    [
      'reversal of an unknown event',
      'not_found',
      () =>
        reverseCharge({
          input: { originalEventId: '00000000-0000-7000-8000-000000000000', reason: 'x' },
          context: context(),
        }),
    ],
    [
      'reversal without a reason',
      'validation_error',
      () =>
        reverseCharge({ input: { originalEventId: f.chargeId, reason: '  ' }, context: context() }),
    ],
    [
      'freeze without a reason',
      'validation_error',
      () => freezeAccount({ accountId: f.usd, input: { reason: '' }, context: context() }),
    ],
    [
      'freezing a f.frozen account',
      'already_frozen',
      () => freezeAccount({ accountId: f.frozen, input: { reason: 'again' }, context: context() }),
    ],
    [
      'unfreezing an open account',
      'not_frozen',
      () => unfreezeAccount({ accountId: f.usd, input: { reason: 'why' }, context: context() }),
    ],
    [
      'opening an existing id',
      'account_already_exists',
      () =>
        openAccount({ input: { id: f.usd, ownerId: 'o', currency: 'USD' }, context: context() }),
    ],
    [
      'opening in an unknown currency',
      'validation_error',
      () => openAccount({ input: { ownerId: 'o', currency: 'ZZZ' }, context: context() }),
    ],
    [
      'opening balance with bad decimals',
      'validation_error',
      () =>
        openAccount({
          input: { ownerId: 'o', currency: 'USD', initialBalance: '1.234' },
          context: context(),
        }),
    ],
    [
      'missing idempotency key',
      'validation_error',
      () =>
        depositFunds({
          accountId: f.usd,
          input: { amount: '1.00' },
          context: context({ idempotencyKey: '' }),
        }),
    ],
    [
      'idempotency key with spaces',
      'validation_error',
      () =>
        depositFunds({
          accountId: f.usd,
          input: { amount: '1.00' },
          context: context({ idempotencyKey: 'has space' }),
        }),
    ],
    [
      'over-long reference',
      'validation_error',
      () =>
        depositFunds({
          accountId: f.usd,
          input: { amount: '1.00', reference: 'r'.repeat(201) },
          context: context(),
        }),
    ],
    [
      'a reference holding a lone UTF-16 surrogate',
      'validation_error',
      () =>
        depositFunds({
          accountId: f.usd,
          input: { amount: '1.00', reference: '\ud800x' },
          context: context(),
        }),
    ],
    [
      'a reversal reason holding a lone UTF-16 surrogate',
      'validation_error',
      () =>
        reverseCharge({
          input: { originalEventId: f.chargeId, amount: '1.00', reason: 'x\udfff' },
          context: context(),
        }),
    ],
  ];

  it('refuses a lone surrogate alone: the commands batched with it still commit', async () => {
    const pool = separatePool(2);
    const accountId = await openTestAccount();
    const [bad, good] = await Promise.allSettled([
      depositFunds({
        accountId,
        input: { amount: '1.00', source: '\udc00' },
        context: context({ db: pool }),
      }),
      depositFunds({
        accountId,
        input: { amount: '2.00', source: 'ach' },
        context: context({ db: pool }),
      }),
    ]);
    expect(bad.status === 'rejected' && (bad.reason as AppError).code).toBe('validation_error');
    expect(good.status).toBe('fulfilled');
  });

  it.each(attempts)('refuses %s with %s', async (_label, code, attempt) => {
    const before = await tableCounts();
    const error = await attempt().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect(await tableCounts()).toEqual(before);
  });
});
