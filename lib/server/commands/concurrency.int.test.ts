// The races the old mutable-balance ledger lost, replayed against the real database.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { context, openTestAccount, separatePool } from '../../../test/support';
import { getAccount } from '../queries/get-account';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { getPool } from '../db/pool';
import { depositFunds } from './deposit-funds';
import { reverseCharge } from './reverse-charge';
import { transferFunds } from './transfer-funds';
import { withdrawFunds } from './withdraw-funds';

function outcomes<T>(results: PromiseSettledResult<T>[]) {
  const fulfilled = results.filter((result) => result.status === 'fulfilled');
  const rejected = results.filter(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  return { fulfilled, rejected, codes: rejected.map((result) => (result.reason as AppError).code) };
}

// Every race runs twice: through the batcher (commands that arrive together share a transaction)
// and with one transaction per command on separate connections, where only PostgreSQL's locks and
// unique constraints keep the ledger right.
describe.each([
  ['batched', true],
  ['one transaction per command', false],
])('%s', (_mode, batching) => {
  describe('the $50,000 incident', () => {
    it('lets exactly one of 20 concurrent 50,000.00 withdrawals through a 60,000.00 balance', async () => {
      const accountId = await openTestAccount({ balance: '60000.00' });
      // Twenty separate connections, so the withdrawals really race inside PostgreSQL.
      const pool = separatePool(20);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          withdrawFunds({
            accountId,
            input: { amount: '50000.00', reference: 'wire-out' },
            context: context({ batching, db: pool }),
          }),
        ),
      );
      const { fulfilled, rejected, codes } = outcomes(results);
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(19);
      expect(new Set(codes)).toEqual(new Set(['insufficient_funds']));
      const account = await getAccount({ accountId });
      expect(account?.balanceMinor).toBe(1_000_000n);
      expect(account?.version).toBe(3);
      const withdrawals = await getPool().query(
        "SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'funds_withdrawn'",
        [`account-${accountId}`],
      );
      expect(withdrawals.rows[0].n).toBe(1);
    });
  });

  describe('honest concurrency', () => {
    it('posts all of 200 concurrent deposits to one account', async () => {
      const accountId = await openTestAccount();
      const pool = separatePool(20);
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, index) =>
          depositFunds({
            accountId,
            input: { amount: '1.01', reference: `dep-${index}` },
            context: context({ batching, db: pool }),
          }),
        ),
      );
      const { fulfilled, rejected } = outcomes(results);
      expect(rejected.map((result) => String(result.reason))).toEqual([]);
      expect(fulfilled).toHaveLength(200);
      const account = await getAccount({ accountId });
      expect(account?.balanceMinor).toBe(20_200n);
      expect(account?.version).toBe(201);
      expect((await verifyIntegrity(getPool(), { streamId: `account-${accountId}` })).ok).toBe(
        true,
      );
    });

    it('runs A→B and B→A transfers at the same time without deadlock or lost money', async () => {
      const a = await openTestAccount({ balance: '1000.00' });
      const b = await openTestAccount({ balance: '1000.00' });
      const pool = separatePool(16);
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, (_, index) =>
          transferFunds({
            input:
              index % 2 === 0
                ? { fromAccountId: a, toAccountId: b, amount: '3.00' }
                : { fromAccountId: b, toAccountId: a, amount: '2.00' },
            context: context({ batching, db: pool }),
          }),
        ),
      );
      expect(outcomes(results).rejected.map((result) => String(result.reason))).toEqual([]);
      const [accountA, accountB] = await Promise.all([
        getAccount({ accountId: a }),
        getAccount({ accountId: b }),
      ]);
      expect(accountA?.balanceMinor).toBe(100_000n - 30n * 300n + 30n * 200n);
      expect(accountB?.balanceMinor).toBe(100_000n + 30n * 300n - 30n * 200n);
      expect((accountA?.balanceMinor ?? 0n) + (accountB?.balanceMinor ?? 0n)).toBe(200_000n);
    });

    it('lets only what fits of concurrent duplicate reversals succeed', async () => {
      const accountId = await openTestAccount({ balance: '500.00' });
      const charge = await withdrawFunds({
        accountId,
        input: { amount: '100.00' },
        context: context(),
      });
      const chargeId = charge.events[0]?.eventId as string;
      const pool = separatePool(10);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          reverseCharge({
            input: { originalEventId: chargeId, amount: '30.00', reason: 'duplicate dispute' },
            context: context({ batching, db: pool }),
          }),
        ),
      );
      const { fulfilled, codes } = outcomes(results);
      expect(fulfilled).toHaveLength(3);
      expect(codes).toEqual(Array(7).fill('reversal_exceeds_original'));
      const account = await getAccount({ accountId });
      expect(account?.balanceMinor).toBe(40_000n + 9_000n);
      const charges = await getPool().query(
        'SELECT reversed_minor::text AS reversed FROM charges WHERE event_id = $1',
        [chargeId],
      );
      expect(charges.rows[0].reversed).toBe('9000');
    });
  });

  describe('idempotency', () => {
    it('gives ten concurrent requests with one key one effect and identical results', async () => {
      const accountId = await openTestAccount({ balance: '100.00' });
      const key = randomUUID();
      const pool = separatePool(10);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          withdrawFunds({
            accountId,
            input: { amount: '10.00', reference: 'same' },
            context: context({ batching, db: pool, idempotencyKey: key }),
          }),
        ),
      );
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      const eventIds = new Set(results.map((result) => result.events[0]?.eventId));
      expect(eventIds.size).toBe(1);
      const balances = new Set(results.map((result) => result.accounts[0]?.balanceMinor));
      expect(balances).toEqual(new Set([9_000n]));
      expect((await getAccount({ accountId }))?.balanceMinor).toBe(9_000n);
    });

    it('answers concurrent retries with the stored success even when repeating it would now be refused', async () => {
      // 60.00 of 100.00: a second withdrawal would fail for lack of funds, but these are retries.
      const accountId = await openTestAccount({ balance: '100.00' });
      const key = randomUUID();
      const pool = separatePool(10);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          withdrawFunds({
            accountId,
            input: { amount: '60.00' },
            context: context({ batching, db: pool, idempotencyKey: key }),
          }),
        ),
      );
      expect(new Set(results.map((result) => result.events[0]?.eventId)).size).toBe(1);
      expect(results.every((result) => result.accounts[0]?.balanceMinor === 4_000n)).toBe(true);
      expect((await getAccount({ accountId }))?.version).toBe(3);
    });

    it('lets only one of two different requests racing with one key through', async () => {
      const first = await openTestAccount({ balance: '100.00' });
      const second = await openTestAccount({ balance: '100.00' });
      const key = randomUUID();
      const pool = separatePool(4);
      const results = await Promise.allSettled([
        withdrawFunds({
          accountId: first,
          input: { amount: '1.00' },
          context: context({ batching, db: pool, idempotencyKey: key }),
        }),
        withdrawFunds({
          accountId: second,
          input: { amount: '1.00' },
          context: context({ batching, db: pool, idempotencyKey: key }),
        }),
      ]);
      const { fulfilled, codes } = outcomes(results);
      expect(fulfilled).toHaveLength(1);
      expect(codes).toEqual(['idempotency_key_reused']);
      const versions = await Promise.all([
        getAccount({ accountId: first }),
        getAccount({ accountId: second }),
      ]);
      expect(versions.map((account) => account?.version).sort()).toEqual([2, 3]);
    });

    it('refuses the same key with a different request and writes nothing', async () => {
      const accountId = await openTestAccount({ balance: '100.00' });
      const key = randomUUID();
      await depositFunds({
        accountId,
        input: { amount: '1.00' },
        context: context({ idempotencyKey: key }),
      });
      await expect(
        depositFunds({
          accountId,
          input: { amount: '2.00' },
          context: context({ idempotencyKey: key }),
        }),
      ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
      expect((await getAccount({ accountId }))?.version).toBe(3);
    });

    it('scopes keys by actor, so two callers may choose the same key', async () => {
      const accountId = await openTestAccount();
      const key = randomUUID();
      await depositFunds({
        accountId,
        input: { amount: '1.00' },
        context: context({ idempotencyKey: key, actor: 'api_key:one' }),
      });
      await depositFunds({
        accountId,
        input: { amount: '1.00' },
        context: context({ idempotencyKey: key, actor: 'api_key:two' }),
      });
      expect((await getAccount({ accountId }))?.balanceMinor).toBe(200n);
    });

    it('does not consume a key when the command is refused', async () => {
      const accountId = await openTestAccount({ balance: '5.00' });
      const key = randomUUID();
      await expect(
        withdrawFunds({
          accountId,
          input: { amount: '10.00' },
          context: context({ idempotencyKey: key }),
        }),
      ).rejects.toMatchObject({
        code: 'insufficient_funds',
      });
      await depositFunds({ accountId, input: { amount: '10.00' }, context: context() });
      const retried = await withdrawFunds({
        accountId,
        input: { amount: '10.00' },
        context: context({ idempotencyKey: key }),
      });
      expect(retried.replayed).toBe(false);
      expect(retried.accounts[0]?.balanceMinor).toBe(500n);
    });
  });

  describe('expected versions', () => {
    it('refuses a command whose expected version is stale, without retrying it', async () => {
      const accountId = await openTestAccount({ balance: '10.00' });
      await expect(
        depositFunds({
          accountId,
          input: { amount: '1.00' },
          context: context({ expectedVersion: 1 }),
        }),
      ).rejects.toMatchObject({ code: 'concurrency_conflict' });
      const result = await depositFunds({
        accountId,
        input: { amount: '1.00' },
        context: context({ expectedVersion: 2 }),
      });
      expect(result.accounts[0]?.version).toBe(3);
    });
  });
});
