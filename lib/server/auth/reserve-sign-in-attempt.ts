// Counts a sign-in attempt against its throttle buckets before its password is checked, or refuses
// it. Because the count happens under the buckets' locks, twenty parallel guesses are counted one
// after another and only as many as the rules allow go on to the password check.

import { changeThrottleBuckets } from './throttle-buckets';
import { bucketsFor, decideSignIn, retryAfterSeconds, type BucketKey } from './sign-in-throttle';

export type SignInReservation =
  | { readonly isAllowed: true; readonly buckets: readonly BucketKey[] }
  | { readonly isAllowed: false; readonly retryAfterSeconds: number };

export async function reserveSignInAttempt(options: {
  email: string;
  clientAddress: string | null;
}): Promise<SignInReservation> {
  const buckets = bucketsFor(options);
  return changeThrottleBuckets<SignInReservation>(buckets, (states, now) => {
    const decision = decideSignIn(
      buckets.map((key, index) => ({ key, state: states[index] as (typeof states)[number] })),
      now,
    );
    return decision.isAllowed
      ? { next: decision.next, result: { isAllowed: true, buckets } }
      : {
          next: null,
          result: { isAllowed: false, retryAfterSeconds: retryAfterSeconds(decision.retryAfterMs) },
        };
  });
}
