// The rules of sign-in throttling, as pure functions of a bucket's state and the time: no database,
// no clock. The database keeps the buckets and supplies `now` (reserve-sign-in-attempt.ts).
//
// Three buckets watch every attempt:
//   - email_client, per (email, client address): the guesser at one email from one place. Five
//     failures are free, then each failure doubles the wait (1 s, 2 s, 4 s … 15 min). This is the
//     one that stops a guesser, and it only ever holds back the address the guesses come from.
//   - client, per client address: one place trying many emails (password spraying).
//   - email, per email across all addresses: many places guessing one email. Its wait is capped
//     at 30 s, so however many addresses an attacker uses, the real user is only ever slowed down,
//     never locked out.
// An attempt is counted before its password is checked (a reservation), so parallel guesses are
// counted too; a successful sign-in then gives it back.

export type ThrottleScope = 'email_client' | 'client' | 'email';

export interface ThrottlePolicy {
  /** Failures allowed before any waiting starts. */
  readonly freeFailures: number;
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const THROTTLE_POLICIES: Record<ThrottleScope, ThrottlePolicy> = {
  email_client: { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000 },
  client: { freeFailures: 30, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000 },
  email: { freeFailures: 20, firstDelayMs: 1_000, maxDelayMs: 30_000 },
};

/**
 * A bucket with no attempt for this long starts afresh, and may be deleted: pruning it changes
 * nothing. Longer than any wait, so forgetting never cuts a wait short.
 */
export const FORGET_BUCKET_AFTER_MS = 24 * 60 * 60_000;

export interface BucketState {
  /** Attempts counted and not given back by a success. */
  readonly failures: number;
  /** No attempt is checked before this instant. */
  readonly blockedUntil: Date | null;
  readonly lastAttemptAt: Date | null;
}

export const FRESH_BUCKET: BucketState = { failures: 0, blockedUntil: null, lastAttemptAt: null };

export interface BucketKey {
  readonly scope: ThrottleScope;
  /** '' when the scope does not use it. */
  readonly email: string;
  readonly clientAddress: string;
}

/** Recorded as the address of a sign-in attempt whose client address is unknown. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The part of a client address a bucket is keyed by. An IPv6 client is keyed by its /64 — the
 * network one customer is usually given — so walking through the addresses of one's own network
 * does not escape the limits; an IPv4 client by its address.
 */
export function throttleKeyOf(clientAddress: string): string {
  if (!clientAddress.includes(':')) return clientAddress;
  const [head = '', tail = ''] = clientAddress.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = clientAddress.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The buckets an attempt counts against. Without a client address (the app is not served by
 * Chronicle's server, or a proxy in front of it is not in TRUSTED_PROXIES) there are no per-client
 * buckets: everyone would share them, and an attacker filling them would lock every user out.
 * Only the per-email bucket applies then, whose wait is capped.
 */
export function bucketsFor(options: { email: string; clientAddress: string | null }): BucketKey[] {
  const { email, clientAddress } = options;
  const buckets: BucketKey[] = [{ scope: 'email', email, clientAddress: '' }];
  if (clientAddress) {
    const key = throttleKeyOf(clientAddress);
    buckets.push(
      { scope: 'email_client', email, clientAddress: key },
      { scope: 'client', email: '', clientAddress: key },
    );
  }
  return buckets;
}

/** How long to wait after the `failures`-th counted failure. */
export function backoffDelayMs(failures: number, policy: ThrottlePolicy): number {
  const beyondFree = failures - policy.freeFailures;
  if (beyondFree < 0) return 0;
  // 2^31 × 1 s is far past any cap; stopping there keeps the arithmetic exact.
  return Math.min(policy.firstDelayMs * 2 ** Math.min(beyondFree, 31), policy.maxDelayMs);
}

function current(state: BucketState, now: Date): BucketState {
  const isForgotten =
    state.lastAttemptAt !== null &&
    now.getTime() - state.lastAttemptAt.getTime() >= FORGET_BUCKET_AFTER_MS;
  return isForgotten ? FRESH_BUCKET : state;
}

export type AttemptDecision =
  | { readonly isAllowed: true; readonly next: BucketState }
  | { readonly isAllowed: false; readonly retryAfterMs: number };

/**
 * Whether one bucket lets an attempt through at `now`; if so, its state with this attempt counted
 * as a failure (until a success gives it back) and the wait that failure earns already set.
 */
export function decideAttempt(
  state: BucketState,
  policy: ThrottlePolicy,
  now: Date,
): AttemptDecision {
  const bucket = current(state, now);
  if (bucket.blockedUntil && bucket.blockedUntil.getTime() > now.getTime())
    return { isAllowed: false, retryAfterMs: bucket.blockedUntil.getTime() - now.getTime() };
  const failures = bucket.failures + 1;
  const delayMs = backoffDelayMs(failures, policy);
  return {
    isAllowed: true,
    next: {
      failures,
      blockedUntil: delayMs > 0 ? new Date(now.getTime() + delayMs) : null,
      lastAttemptAt: now,
    },
  };
}

export type SignInDecision =
  | { readonly isAllowed: true; readonly next: BucketState[] }
  | { readonly isAllowed: false; readonly retryAfterMs: number };

/**
 * An attempt goes ahead only if every bucket lets it; then every bucket counts it. When one
 * refuses, none counts it (a refused attempt checks nothing), and the wait is the longest.
 */
export function decideSignIn(
  buckets: ReadonlyArray<{ key: BucketKey; state: BucketState }>,
  now: Date,
): SignInDecision {
  const decisions = buckets.map(({ key, state }) =>
    decideAttempt(state, THROTTLE_POLICIES[key.scope], now),
  );
  const next: BucketState[] = [];
  let retryAfterMs = 0;
  for (const decision of decisions) {
    if (decision.isAllowed) next.push(decision.next);
    else retryAfterMs = Math.max(retryAfterMs, decision.retryAfterMs);
  }
  return retryAfterMs > 0 ? { isAllowed: false, retryAfterMs } : { isAllowed: true, next };
}

/**
 * A bucket after a successful sign-in. The email and (email, client) buckets start afresh: the
 * person who knows the password is back. The client bucket only gets this attempt back, so an
 * attacker holding one valid account cannot wipe out the failures of their spraying.
 */
export function afterSuccess(scope: ThrottleScope, state: BucketState): BucketState {
  if (scope !== 'client') return { ...FRESH_BUCKET, lastAttemptAt: state.lastAttemptAt };
  const failures = Math.max(0, state.failures - 1);
  return {
    failures,
    blockedUntil: failures >= THROTTLE_POLICIES.client.freeFailures ? state.blockedUntil : null,
    lastAttemptAt: state.lastAttemptAt,
  };
}

/** Retry-After in whole seconds, never 0 (which would invite an immediate retry). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
