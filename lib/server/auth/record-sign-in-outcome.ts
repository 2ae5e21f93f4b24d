// Settles a reserved sign-in attempt once its password has been checked: every checked attempt is
// kept in login_attempts (who tried which email from where, and whether it worked), and a success
// gives the reservation back (sign-in-throttle.ts, afterSuccess). A failure needs nothing more:
// it was already counted when it was reserved.

import { getPool } from '../db/pool';
import { changeThrottleBuckets } from './throttle-buckets';
import { UNKNOWN_CLIENT, afterSuccess, type BucketKey } from './sign-in-throttle';

export async function recordSignInOutcome(options: {
  email: string;
  clientAddress: string | null;
  buckets: readonly BucketKey[];
  succeeded: boolean;
}): Promise<void> {
  await getPool().query('INSERT INTO login_attempts (email, ip, succeeded) VALUES ($1, $2, $3)', [
    options.email,
    options.clientAddress ?? UNKNOWN_CLIENT,
    options.succeeded,
  ]);
  if (!options.succeeded) return;
  await changeThrottleBuckets(options.buckets, (states) => ({
    next: options.buckets.map((key, index) =>
      afterSuccess(key.scope, states[index] as (typeof states)[number]),
    ),
    result: undefined,
  }));
}
