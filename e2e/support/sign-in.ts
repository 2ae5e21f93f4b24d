// Signing in over HTTP exactly as next-auth's client does: GET /api/auth/csrf for a token (and its
// cookie), then POST /api/auth/callback/credentials with `json=true`, which answers `{ url }` with
// the error code in `url`. Plus addresses to send the sign-in tests from, and clean-up of the
// throttle buckets of this machine's own address, which every browser test shares.

import { randomBytes } from 'node:crypto';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { throttleKeyOf } from '../../lib/server/auth/sign-in-throttle';
import { getPool } from '../../lib/server/db/pool';
import { E2E_SECOND_PORT } from './ports';
import './ledger';

export interface SignInAnswer {
  readonly status: number;
  /** next-auth's error code (`CredentialsSignin`, `rate_limited`, `busy`), null on success. */
  readonly error: string | null;
  readonly retryAfter: string | undefined;
  readonly hasSession: boolean;
}

/** A request context for the second app instance, which believes X-Forwarded-For from this machine. */
export function behindTrustedProxy(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: `http://localhost:${E2E_SECOND_PORT}` });
}

/**
 * A fresh address (in IPv6's documentation range) for one pretend client, unique per call, and in
 * a /64 of its own: the server keys IPv6 clients by their /64.
 */
export function testAddress(): string {
  const bytes = randomBytes(8);
  // Four groups of four hex digits, none starting with 0: already the canonical spelling the
  // server records, so tests can compare what they sent with what was recorded.
  const groups = [0, 2, 4, 6].map((at) => (bytes.readUInt16BE(at) | 0x1000).toString(16));
  return `2001:db8:${groups[0]}:${groups[1]}::${groups[2]}:${groups[3]}`;
}

/** A CSRF token for this request context (its cookie is kept by the context). */
export async function csrfToken(request: APIRequestContext): Promise<string> {
  const response = await request.get('/api/auth/csrf');
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

export async function signInOverHttp(
  request: APIRequestContext,
  options: { email: string; password: string; forwardedFor?: string; csrfToken?: string },
): Promise<SignInAnswer> {
  const token = options.csrfToken ?? (await csrfToken(request));
  const response = await request.post('/api/auth/callback/credentials', {
    form: { email: options.email, password: options.password, csrfToken: token, json: 'true' },
    headers: options.forwardedFor ? { 'X-Forwarded-For': options.forwardedFor } : {},
    maxRedirects: 0,
  });
  const body = (await response.json()) as { url: string };
  return {
    status: response.status(),
    error: new URL(body.url).searchParams.get('error'),
    retryAfter: response.headers()['retry-after'],
    hasSession: response
      .headersArray()
      .some(
        (header) =>
          header.name.toLowerCase() === 'set-cookie' &&
          header.value.startsWith('next-auth.session-token='),
      ),
  };
}

/** The client addresses the app recorded for the checked sign-in attempts at this email. */
export async function recordedAddresses(email: string): Promise<string[]> {
  const result = await getPool().query<{ ip: string }>(
    'SELECT DISTINCT ip FROM login_attempts WHERE email = $1 ORDER BY ip',
    [email],
  );
  return result.rows.map((row) => row.ip);
}

/** How many sign-in attempts at this email had their password checked. */
export async function checkedAttempts(email: string): Promise<number> {
  const result = await getPool().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM login_attempts WHERE email = $1',
    [email],
  );
  return result.rows[0]?.n ?? 0;
}

const LOOPBACK = ['127.0.0.1', '::1'];

/**
 * Forgets the failures counted against this machine's own address. Browser tests all sign in from
 * it; a test that fails many sign-ins from it on purpose clears them so later tests start clean.
 */
export async function forgetLoopbackClientFailures(): Promise<void> {
  await getPool().query(
    "DELETE FROM login_throttle WHERE scope = 'client' AND client_address = ANY($1::text[])",
    [LOOPBACK.map(throttleKeyOf)],
  );
}

export function isLoopback(address: string): boolean {
  return LOOPBACK.includes(address);
}
