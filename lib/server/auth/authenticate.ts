// Checks an email and password, throttled (sign-in-throttle.ts) and with a bound on concurrent
// password checks (hashing-gate.ts). In order: take a place at the gate (or answer "busy"), count
// the attempt against its throttle buckets (or answer "rate limited" without looking at the
// password), check the password, record the outcome.

import { isRole, type Role } from '../../auth/permissions';
import { MAX_PASSWORD_LENGTH } from '../../schemas/user-inputs';
import { getPool } from '../db/pool';
import { BUSY_RETRY_AFTER_SECONDS, passwordCheckGate } from './hashing-gate';
import { decoyPasswordHash, verifyPassword } from './passwords';
import { recordSignInOutcome } from './record-sign-in-outcome';
import { reserveSignInAttempt } from './reserve-sign-in-attempt';

/** Longer input is not an email; cut it before it becomes a bucket key. */
const MAX_EMAIL_LENGTH = 254;

export type AuthenticationResult =
  | { status: 'ok'; user: { id: string; email: string; name: string; role: Role } }
  | { status: 'invalid' }
  /** This email or client has failed too often; nothing was checked. */
  | { status: 'rate_limited'; retryAfterSeconds: number }
  /** Too many password checks are running or waiting; nothing was checked or counted. */
  | { status: 'busy'; retryAfterSeconds: number };

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled_at: Date | null;
}

/**
 * @param clientAddress where the attempt comes from, as Chronicle's server determined it; null
 *   when unknown (then only the per-email buckets apply).
 */
export async function authenticate(options: {
  email: string;
  password: string;
  clientAddress: string | null;
}): Promise<AuthenticationResult> {
  const email = options.email.trim().toLowerCase().slice(0, MAX_EMAIL_LENGTH);
  const clientAddress = options.clientAddress;
  const outcome = await passwordCheckGate().run(async (): Promise<AuthenticationResult> => {
    const reservation = await reserveSignInAttempt({ email, clientAddress });
    if (!reservation.isAllowed)
      return { status: 'rate_limited', retryAfterSeconds: reservation.retryAfterSeconds };
    const user = await findUser(email);
    const isCorrect = await isPasswordCorrect(user, options.password);
    const signedIn = isCorrect && user && !user.disabled_at && isRole(user.role) ? user : null;
    await recordSignInOutcome({
      email,
      clientAddress,
      buckets: reservation.buckets,
      succeeded: signedIn !== null,
    });
    if (!signedIn || !isRole(signedIn.role)) return { status: 'invalid' };
    return {
      status: 'ok',
      user: { id: signedIn.id, email: signedIn.email, name: signedIn.name, role: signedIn.role },
    };
  });
  return outcome.isAdmitted
    ? outcome.value
    : { status: 'busy', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
}

async function findUser(email: string): Promise<UserRow | undefined> {
  const found = await getPool().query<UserRow>(
    'SELECT id::text AS id, email, name, role::text AS role, password_hash, disabled_at FROM users WHERE email = $1',
    [email],
  );
  return found.rows[0];
}

/**
 * The password exactly as typed against the user's hash, or against a decoy when the email is
 * unknown, so the time taken does not reveal which emails exist. Nobody's password is longer than
 * the schema allows, so longer input is wrong without hashing megabytes.
 */
async function isPasswordCorrect(user: UserRow | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  return verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
}
