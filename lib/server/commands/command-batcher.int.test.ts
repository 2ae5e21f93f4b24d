// Group commit: commands that arrive together share a transaction, are decided in arrival order
// against each other's effects, are refused one by one, and fall back to one transaction each
// when the batch as a whole fails.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { context, openTestAccount, separatePool, superuserClient } from '../../../test/support';
import { getAccount } from '../queries/get-account';
import { depositFunds } from './deposit-funds';
import { transferFunds } from './transfer-funds';
import { withdrawFunds } from './withdraw-funds';

describe('the command batcher', () => {
  it('decides commands that arrive together in order, each against the effects of the ones before', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const pool = separatePool(4);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, index) =>
        withdrawFunds({
          accountId,
          input: { amount: '30.00', reference: `w${index}` },
          context: context({ db: pool }),
        }),
      ),
    );
    const balances = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.accounts[0]?.balanceMinor] : [],
    );
    expect(balances).toEqual([7_000n, 4_000n, 1_000n]);
    const refused = results.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    expect(refused.map((result) => (result.reason as AppError).code)).toEqual([
      'insufficient_funds',
      'insufficient_funds',
    ]);
    const versions = results.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value.events[0]?.streamVersion] : [],
    );
    expect(versions).toEqual([3, 4, 5]);
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(1_000n);
  });

  it('keeps money consistent when two processes batch against the same accounts', async () => {
    const a = await openTestAccount({ balance: '500.00' });
    const b = await openTestAccount({ balance: '500.00' });
    // Two pools, two batchers: as two app instances would, they meet only in PostgreSQL.
    const first = separatePool(4);
    const second = separatePool(4);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        transferFunds({
          input:
            index % 2
              ? { fromAccountId: a, toAccountId: b, amount: '30.00' }
              : { fromAccountId: b, toAccountId: a, amount: '20.00' },
          context: context({ db: index % 4 < 2 ? first : second }),
        }),
      ),
    );
    for (const result of results) {
      if (result.status === 'rejected')
        expect((result.reason as AppError).code).toBe('insufficient_funds');
    }
    const [accountA, accountB] = await Promise.all([
      getAccount({ accountId: a }),
      getAccount({ accountId: b }),
    ]);
    expect((accountA?.balanceMinor ?? 0n) + (accountB?.balanceMinor ?? 0n)).toBe(100_000n);
    expect(accountA?.balanceMinor).toBeGreaterThanOrEqual(0n);
    expect(accountB?.balanceMinor).toBeGreaterThanOrEqual(0n);
  });

  it('falls back to one transaction per command when the batch fails, so one bad command fails alone', async () => {
    const good = await openTestAccount({ balance: '0.00' });
    const bad = await openTestAccount({ balance: '0.00' });
    const client = await superuserClient();
    try {
      await client.query(`
        CREATE FUNCTION fail_one_account() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.stream_id = 'account-${bad}' THEN RAISE EXCEPTION 'simulated storage failure'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_one_account BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_one_account();`);
      const pool = separatePool(4);
      const results = await Promise.allSettled([
        depositFunds({
          accountId: good,
          input: { amount: '1.00' },
          context: context({ db: pool }),
        }),
        depositFunds({ accountId: bad, input: { amount: '1.00' }, context: context({ db: pool }) }),
        depositFunds({
          accountId: good,
          input: { amount: '2.00' },
          context: context({ db: pool }),
        }),
        depositFunds({
          accountId: good,
          input: { amount: '3.00' },
          context: context({ db: pool }),
        }),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect((await getAccount({ accountId: good }))?.balanceMinor).toBe(600n);
      expect((await getAccount({ accountId: bad }))?.balanceMinor).toBe(0n);
    } finally {
      await client.query(
        'DROP TRIGGER IF EXISTS fail_one_account ON events; DROP FUNCTION IF EXISTS fail_one_account();',
      );
      await client.end();
    }
  });

  it('answers repeated keys in one burst with the first answer', async () => {
    const accountId = await openTestAccount({ balance: '10.00' });
    const pool = separatePool(4);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        depositFunds({
          accountId,
          input: { amount: '1.00' },
          context: context({ db: pool, idempotencyKey: key }),
        }),
      ),
    );
    expect(new Set(results.map((result) => result.events[0]?.eventId)).size).toBe(1);
    expect(results.filter((result) => result.replayed)).toHaveLength(5);
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(1_100n);
  });
});
