// Holds against the real database: what they reserve, the races a payments engineer worries
// about (concurrent authorisations over the available balance, a capture racing a release or the
// expiry), retries with the same idempotency key, and the sweeper recording expiries once.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { context, openTestAccount, separatePool, tableCounts } from '../../../test/support';
import { getPool } from '../db/pool';
import { getAccount } from '../queries/get-account';
import { getAccountAt } from '../queries/get-account-at';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { captureHold } from './capture-hold';
import { expireDueHolds } from './expire-due-holds';
import { placeHold } from './place-hold';
import { releaseHold } from './release-hold';
import { transferFunds } from './transfer-funds';
import { withdrawFunds } from './withdraw-funds';

function outcomes<T>(results: PromiseSettledResult<T>[]) {
  const fulfilled = results.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const codes = results.flatMap((result) =>
    result.status === 'rejected' ? [(result.reason as AppError).code] : [],
  );
  return { fulfilled, codes };
}

/** An instant `ms` from now by the database's clock, the clock commands are decided by. */
async function databaseNowPlus(ms: number): Promise<Date> {
  const result = await getPool().query<{ at: Date }>(
    "SELECT date_trunc('milliseconds', clock_timestamp()) + make_interval(secs => $1::double precision / 1000) AS at",
    [ms],
  );
  return result.rows[0]?.at as Date;
}

async function waitUntil(instant: Date): Promise<void> {
  for (;;) {
    const now = await databaseNowPlus(0);
    if (now.getTime() >= instant.getTime()) return;
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(200, instant.getTime() - now.getTime())),
    );
  }
}

async function placed(accountId: string, amount: string, extra: { expiresAt?: Date } = {}) {
  const result = await placeHold({
    accountId,
    input: { amount, reason: 'Card authorisation', reference: 'auth-1', ...extra },
    context: context(),
  });
  const hold = result.holds[0];
  if (!hold) throw new Error('place_hold returns the hold');
  return hold;
}

async function eventCount(streamId: string, type: string): Promise<number> {
  const result = await getPool().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = $2',
    [streamId, type],
  );
  return result.rows[0]?.n ?? 0;
}

describe('what a hold reserves', () => {
  it('keeps the balance but makes the amount unavailable to withdrawals, transfers and holds', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const other = await openTestAccount();
    const hold = await placed(accountId, '80.00');
    expect(hold).toMatchObject({ status: 'active', amountMinor: 8_000n, remainingMinor: 8_000n });
    expect(await getAccount({ accountId })).toMatchObject({
      balanceMinor: 10_000n,
      heldMinor: 8_000n,
    });

    const before = await tableCounts();
    await expect(
      withdrawFunds({ accountId, input: { amount: '30.00' }, context: context() }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    await expect(
      transferFunds({
        input: { fromAccountId: accountId, toAccountId: other, amount: '20.01' },
        context: context(),
      }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    await expect(placed(accountId, '20.01')).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await tableCounts()).toEqual(before);

    await withdrawFunds({ accountId, input: { amount: '20.00' }, context: context() });
    expect(await getAccount({ accountId })).toMatchObject({
      balanceMinor: 8_000n,
      heldMinor: 8_000n,
    });
  });

  it('posts a partial capture as a debit and keeps the rest reserved until released', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const hold = await placed(accountId, '60.00');
    const first = await captureHold({
      holdId: hold.id,
      input: { amount: '25.00' },
      context: context(),
    });
    expect(first.holds[0]).toMatchObject({
      status: 'active',
      capturedMinor: 2_500n,
      remainingMinor: 3_500n,
    });
    expect(first.accounts[0]).toMatchObject({ balanceMinor: 7_500n, heldMinor: 3_500n });
    await expect(
      captureHold({ holdId: hold.id, input: { amount: '35.01' }, context: context() }),
    ).rejects.toMatchObject({ code: 'capture_exceeds_hold' });

    const released = await releaseHold({
      holdId: hold.id,
      input: { reason: 'Order shipped partly' },
      context: context(),
    });
    expect(released.holds[0]).toMatchObject({ status: 'released', remainingMinor: 0n });
    expect(released.accounts[0]).toMatchObject({ balanceMinor: 7_500n, heldMinor: 0n });
    expect(released.events.map((event) => event.type)).toEqual([
      'hold_released',
      'held_funds_released',
    ]);
    await expect(
      captureHold({ holdId: hold.id, input: {}, context: context() }),
    ).rejects.toMatchObject({ code: 'hold_not_active' });
    expect((await verifyIntegrity(getPool(), { streamId: `hold-${hold.id}` })).ok).toBe(true);
  });

  it('captures everything that remains when no amount is given, and the hold is then done', async () => {
    const accountId = await openTestAccount({ balance: '50.00' });
    const hold = await placed(accountId, '50.00');
    await captureHold({ holdId: hold.id, input: { amount: '10.00' }, context: context() });
    const rest = await captureHold({ holdId: hold.id, input: {}, context: context() });
    expect(rest.holds[0]).toMatchObject({
      status: 'captured',
      capturedMinor: 5_000n,
      remainingMinor: 0n,
    });
    expect(rest.accounts[0]).toMatchObject({ balanceMinor: 0n, heldMinor: 0n });
  });

  it('refuses new holds on a frozen account', async () => {
    const accountId = await openTestAccount({ balance: '50.00' });
    const { freezeAccount } = await import('./freeze-account');
    await freezeAccount({ accountId, input: { reason: 'Fraud review' }, context: context() });
    await expect(placed(accountId, '1.00')).rejects.toMatchObject({ code: 'account_frozen' });
  });
});

// Every race runs twice: through the batcher (commands that arrive together share a transaction)
// and one transaction per command on separate connections.
describe.each([
  ['batched', true],
  ['one transaction per command', false],
])('races, %s', (_mode, batching) => {
  it('lets only the holds that fit through when 20 concurrent holds exceed the available balance', async () => {
    const accountId = await openTestAccount({ balance: '55.00' });
    const pool = separatePool(20);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        placeHold({
          accountId,
          input: { amount: '10.00', reason: `Authorisation ${index}` },
          context: context({ batching, db: pool }),
        }),
      ),
    );
    const { fulfilled, codes } = outcomes(results);
    expect(fulfilled).toHaveLength(5);
    expect(codes).toEqual(Array.from({ length: 15 }, () => 'insufficient_funds'));
    const account = await getAccount({ accountId });
    expect(account).toMatchObject({ balanceMinor: 5_500n, heldMinor: 5_000n });
    expect(await eventCount(`account-${accountId}`, 'funds_held')).toBe(5);
  });

  it('lets exactly one of a capture and a release of the same hold win', async () => {
    for (let round = 0; round < 5; round += 1) {
      const accountId = await openTestAccount({ balance: '40.00' });
      const hold = await placed(accountId, '40.00');
      const pool = separatePool(2);
      const results = await Promise.allSettled([
        captureHold({ holdId: hold.id, input: {}, context: context({ batching, db: pool }) }),
        releaseHold({
          holdId: hold.id,
          input: { reason: 'Customer cancelled' },
          context: context({ batching, db: pool }),
        }),
      ]);
      const { fulfilled, codes } = outcomes(results);
      expect(fulfilled).toHaveLength(1);
      expect(codes).toEqual(['hold_not_active']);
      const captured = results[0].status === 'fulfilled';
      expect(await getAccount({ accountId })).toMatchObject({
        balanceMinor: captured ? 0n : 4_000n,
        heldMinor: 0n,
      });
      const ends =
        (await eventCount(`hold-${hold.id}`, 'hold_captured')) +
        (await eventCount(`hold-${hold.id}`, 'hold_released'));
      expect(ends).toBe(1);
    }
  });

  it('places one hold for a request retried concurrently with the same idempotency key', async () => {
    const accountId = await openTestAccount({ balance: '30.00' });
    const pool = separatePool(5);
    const shared = context({ batching, db: pool });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        placeHold({
          accountId,
          input: { amount: '30.00', reason: 'Hotel deposit' },
          context: { ...shared },
        }),
      ),
    );
    expect(new Set(results.map((result) => result.holds[0]?.id)).size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(await eventCount(`account-${accountId}`, 'funds_held')).toBe(1);
    await expect(
      placeHold({
        accountId,
        input: { amount: '29.00', reason: 'Hotel deposit' },
        context: { ...shared },
      }),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });
});

describe('expiry', () => {
  it('decides a capture racing the expiry by the instant each capture takes effect', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const expiresAt = await databaseNowPlus(1_500);
    const hold = await placed(accountId, '10.00', { expiresAt });
    // Captures of 0.50 every 300 ms, from well before the expiry to well after it.
    const results = await Promise.allSettled(
      Array.from({ length: 11 }, async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * 300));
        return captureHold({ holdId: hold.id, input: { amount: '0.50' }, context: context() });
      }),
    );
    const { fulfilled, codes } = outcomes(results);
    expect(fulfilled.length).toBeGreaterThan(0);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['hold_not_active']));
    for (const result of fulfilled)
      expect(result.events[0]?.occurredAt.getTime()).toBeLessThan(expiresAt.getTime());
    // Once one capture is refused for the expiry, every later one is too.
    const firstRefused = results.findIndex((result) => result.status === 'rejected');
    expect(results.slice(firstRefused).every((result) => result.status === 'rejected')).toBe(true);
  });

  it('stops reserving exactly at the expiry, before any sweep, also in point-in-time answers', async () => {
    const accountId = await openTestAccount({ balance: '20.00' });
    const expiresAt = await databaseNowPlus(800);
    const hold = await placed(accountId, '15.00', { expiresAt });
    expect((await getAccount({ accountId }))?.heldMinor).toBe(1_500n);
    await waitUntil(expiresAt);
    // Nothing recorded the expiry yet, and still nothing is reserved.
    expect(await eventCount(`hold-${hold.id}`, 'hold_expired')).toBe(0);
    expect((await getAccount({ accountId }))?.heldMinor).toBe(0n);
    await withdrawFunds({ accountId, input: { amount: '20.00' }, context: context() });

    const justBefore = await getAccountAt({ accountId, at: new Date(expiresAt.getTime() - 1) });
    expect(justBefore?.account.heldMinor).toBe(1_500n);
    expect(justBefore?.holds.map((held) => held.id)).toEqual([hold.id]);
    const atExpiry = await getAccountAt({ accountId, at: expiresAt });
    expect(atExpiry?.account.heldMinor).toBe(0n);
    expect(atExpiry?.holds).toEqual([]);
  });

  it('is recorded once by the sweeper, however many instances sweep at the same time', async () => {
    const accountId = await openTestAccount({ balance: '20.00' });
    const expiresAt = await databaseNowPlus(600);
    const holds = [
      await placed(accountId, '5.00', { expiresAt }),
      await placed(accountId, '6.00', { expiresAt }),
    ];
    await waitUntil(expiresAt);
    const sweeps = await Promise.all([
      expireDueHolds({ db: separatePool(2) }),
      expireDueHolds({ db: separatePool(2) }),
      expireDueHolds({ db: separatePool(2) }),
    ]);
    const expired = sweeps.reduce((sum, sweep) => sum + (sweep.ran ? sweep.expired : 0), 0);
    expect(expired).toBeGreaterThanOrEqual(2);
    for (const hold of holds) {
      expect(await eventCount(`hold-${hold.id}`, 'hold_expired')).toBe(1);
      expect(await eventCount(`account-${accountId}`, 'held_funds_expired')).toBe(2);
    }
    // A later sweep finds nothing left to do.
    expect(await expireDueHolds()).toEqual({ ran: true, expired: 0 });
    await expect(
      captureHold({ holdId: holds[0]?.id as string, input: {}, context: context() }),
    ).rejects.toMatchObject({ code: 'hold_not_active' });
  });
});
