import { describe, expect, it } from 'vitest';
import {
  FORGET_BUCKET_AFTER_MS,
  FRESH_BUCKET,
  THROTTLE_POLICIES,
  afterSuccess,
  backoffDelayMs,
  bucketsFor,
  throttleKeyOf,
  decideAttempt,
  decideSignIn,
  retryAfterSeconds,
  type BucketKey,
  type BucketState,
  type ThrottlePolicy,
} from './sign-in-throttle';

const T0 = new Date('2026-03-15T14:47:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PAIR: ThrottlePolicy = THROTTLE_POLICIES.email_client;

/** Runs attempts at the given instants through one bucket; what each was told. */
function attempts(policy: ThrottlePolicy, instants: Date[], start: BucketState = FRESH_BUCKET) {
  let state = start;
  return instants.map((now) => {
    const decision = decideAttempt(state, policy, now);
    if (decision.isAllowed) state = decision.next;
    return decision.isAllowed ? 'checked' : `wait ${decision.retryAfterMs} ms`;
  });
}

describe('backoffDelayMs', () => {
  it('is free for five failures, then 1 s, 2 s, 4 s … capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, PAIR))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 14].map((n) => backoffDelayMs(n, PAIR))).toEqual([
      1_000, 2_000, 4_000, 8_000, 512_000,
    ]);
    expect(backoffDelayMs(15, PAIR)).toBe(15 * 60_000);
    expect(backoffDelayMs(10_000, PAIR)).toBe(15 * 60_000);
  });

  it('caps the per-email slow-down at 30 seconds, so the real user is never locked out for long', () => {
    expect(backoffDelayMs(20, THROTTLE_POLICIES.email)).toBe(1_000);
    expect(backoffDelayMs(1_000_000, THROTTLE_POLICIES.email)).toBe(30_000);
  });
});

describe('decideAttempt', () => {
  it('given five quick failures, refuses the sixth until the wait is over', () => {
    expect(attempts(PAIR, [at(0), at(0), at(0), at(0), at(0), at(0), at(0.4)])).toEqual([
      'checked',
      'checked',
      'checked',
      'checked',
      'checked',
      'wait 1000 ms',
      'wait 600 ms',
    ]);
  });

  it('doubles the wait with every failure checked after it expires', () => {
    const instants = [at(0), at(0), at(0), at(0), at(0), at(1), at(2), at(3), at(7)];
    expect(attempts(PAIR, instants)).toEqual([
      'checked',
      'checked',
      'checked',
      'checked',
      'checked', // fifth failure: wait 1 s
      'checked', // sixth: wait 2 s, until 3 s
      'wait 1000 ms',
      'checked', // seventh: wait 4 s, until 7 s
      'checked',
    ]);
  });

  it('does not extend the wait for attempts it refuses', () => {
    const blocked: BucketState = { failures: 9, blockedUntil: at(16), lastAttemptAt: at(0) };
    expect(attempts(PAIR, [at(1), at(2), at(15), at(16)], blocked)).toEqual([
      'wait 15000 ms',
      'wait 14000 ms',
      'wait 1000 ms',
      'checked',
    ]);
  });

  it('forgets a bucket that saw no attempt for a day', () => {
    const old: BucketState = { failures: 40, blockedUntil: at(900), lastAttemptAt: at(0) };
    const aDayLater = new Date(T0.getTime() + FORGET_BUCKET_AFTER_MS);
    expect(decideAttempt(old, PAIR, aDayLater)).toEqual({
      isAllowed: true,
      next: { failures: 1, blockedUntil: null, lastAttemptAt: aDayLater },
    });
    expect(decideAttempt(old, PAIR, new Date(aDayLater.getTime() - 1))).toMatchObject({
      isAllowed: true,
      next: { failures: 41 },
    });
  });
});

describe('decideSignIn', () => {
  const pair: BucketKey = { scope: 'email_client', email: 'ada@example.com', clientAddress: 'A' };
  const email: BucketKey = { scope: 'email', email: 'ada@example.com', clientAddress: '' };
  const client: BucketKey = { scope: 'client', email: '', clientAddress: 'A' };

  it('counts the attempt in every bucket when all allow it', () => {
    const decision = decideSignIn(
      [
        { key: pair, state: FRESH_BUCKET },
        { key: email, state: { failures: 3, blockedUntil: null, lastAttemptAt: at(-5) } },
        { key: client, state: FRESH_BUCKET },
      ],
      at(0),
    );
    expect(decision).toEqual({
      isAllowed: true,
      next: [
        { failures: 1, blockedUntil: null, lastAttemptAt: at(0) },
        { failures: 4, blockedUntil: null, lastAttemptAt: at(0) },
        { failures: 1, blockedUntil: null, lastAttemptAt: at(0) },
      ],
    });
  });

  it('counts it nowhere when one bucket refuses, and waits for the longest', () => {
    const decision = decideSignIn(
      [
        { key: pair, state: { failures: 6, blockedUntil: at(2), lastAttemptAt: at(0) } },
        { key: email, state: FRESH_BUCKET },
        { key: client, state: { failures: 31, blockedUntil: at(5), lastAttemptAt: at(0) } },
      ],
      at(1),
    );
    expect(decision).toEqual({ isAllowed: false, retryAfterMs: 4_000 });
  });
});

describe('bucketsFor', () => {
  it('watches the pair, the email and the client', () => {
    expect(bucketsFor({ email: 'ada@example.com', clientAddress: '192.0.2.1' })).toEqual([
      { scope: 'email', email: 'ada@example.com', clientAddress: '' },
      { scope: 'email_client', email: 'ada@example.com', clientAddress: '192.0.2.1' },
      { scope: 'client', email: '', clientAddress: '192.0.2.1' },
    ]);
  });

  it('keys an IPv6 client by its /64, so walking through one’s own network escapes nothing', () => {
    const keys = ['2001:db8::1', '2001:db8::13', '2001:db8:0:0:ffff:1:2:3'].map(
      (clientAddress) => bucketsFor({ email: 'ada@example.com', clientAddress })[2]?.clientAddress,
    );
    expect(new Set(keys)).toEqual(new Set(['2001:db8:0:0::/64']));
    expect(throttleKeyOf('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(throttleKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(throttleKeyOf('fe80:a:b:c:d:e:f:1')).toBe('fe80:a:b:c::/64');
  });

  it('without a client address, watches the email alone: a bucket everyone shares would lock everyone out', () => {
    expect(bucketsFor({ email: 'ada@example.com', clientAddress: null })).toEqual([
      { scope: 'email', email: 'ada@example.com', clientAddress: '' },
    ]);
  });
});

describe('afterSuccess', () => {
  const busy: BucketState = { failures: 35, blockedUntil: at(8), lastAttemptAt: at(0) };

  it('resets the pair and the email buckets', () => {
    for (const scope of ['email_client', 'email'] as const) {
      expect(afterSuccess(scope, busy)).toEqual({
        failures: 0,
        blockedUntil: null,
        lastAttemptAt: at(0),
      });
    }
  });

  it('gives the client bucket back only this attempt', () => {
    expect(afterSuccess('client', busy)).toEqual({ ...busy, failures: 34 });
    const atThreshold: BucketState = { failures: 30, blockedUntil: at(1), lastAttemptAt: at(0) };
    expect(afterSuccess('client', atThreshold)).toEqual({
      failures: 29,
      blockedUntil: null,
      lastAttemptAt: at(0),
    });
    expect(afterSuccess('client', FRESH_BUCKET).failures).toBe(0);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up and is never 0', () => {
    expect([1, 999, 1_000, 1_001, 0].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 1]);
  });
});
