// Sign-in throttling against a real PostgreSQL: the rules of sign-in-throttle.ts, made atomic by
// the buckets' row locks. Waiting is never slept out: rows are backdated instead.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { authenticate, type AuthenticationResult } from './authenticate';
import { hashPassword } from './passwords';

const PASSWORD = 'correct horse battery staple';

async function createUser(options: { disabled?: boolean } = {}): Promise<string> {
  const email = `throttle_${randomBytes(5).toString('hex')}@example.com`;
  await getPool().query(
    `INSERT INTO users (email, name, role, password_hash, disabled_at)
     VALUES ($1, 'Throttle Test', 'support', $2, CASE WHEN $3 THEN now() END)`,
    [email, await hashPassword(PASSWORD), options.disabled ?? false],
  );
  return email;
}

function address(): string {
  const bytes = randomBytes(2);
  return `198.51.${bytes[0]}.${bytes[1]}`;
}

const statuses = (results: AuthenticationResult[]) => results.map((result) => result.status);
const count = (results: AuthenticationResult[], status: AuthenticationResult['status']) =>
  results.filter((result) => result.status === status).length;

async function checkedAttempts(email: string): Promise<number> {
  const result = await getPool().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM login_attempts WHERE email = $1',
    [email],
  );
  return result.rows[0]?.n ?? -1;
}

/** As if the wait of every bucket of this email (or client) had run out a second ago. */
async function letWaitsRunOut(where: { email?: string; clientAddress?: string }): Promise<void> {
  await getPool().query(
    `UPDATE login_throttle SET blocked_until = now() - interval '1 second'
      WHERE blocked_until IS NOT NULL AND (email = $1 OR client_address = $2)`,
    [where.email ?? null, where.clientAddress ?? null],
  );
}

async function failSequentially(
  times: number,
  attempt: (index: number) => Parameters<typeof authenticate>[0],
): Promise<AuthenticationResult[]> {
  const results: AuthenticationResult[] = [];
  for (let index = 0; index < times; index += 1) results.push(await authenticate(attempt(index)));
  return results;
}

describe('sign-in throttling', () => {
  it('lets at most five of 20 parallel wrong passwords for one email and client be checked', async () => {
    const email = await createUser();
    const clientAddress = address();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        authenticate({ email, password: `wrong password ${index}`, clientAddress }),
      ),
    );
    expect(count(results, 'invalid')).toBe(5);
    // The rest were refused before their password was looked at (or, on a machine with few
    // cores, turned away by the bound on concurrent checks).
    expect(count(results, 'rate_limited') + count(results, 'busy')).toBe(15);
    expect(await checkedAttempts(email)).toBe(5);
    const refused = results.find((result) => result.status === 'rate_limited');
    expect(refused).toEqual({ status: 'rate_limited', retryAfterSeconds: 1 });
  });

  it("does not let an attacker's failures from one address stop the user at another", async () => {
    const email = await createUser();
    const attacker = address();
    const attack = await failSequentially(10, (index) => ({
      email,
      password: `guess ${index}`,
      clientAddress: attacker,
    }));
    expect(statuses(attack).slice(0, 5)).toEqual(Array(5).fill('invalid'));
    expect(statuses(attack).slice(5)).toEqual(Array(5).fill('rate_limited'));

    const user = await authenticate({ email, password: PASSWORD, clientAddress: address() });
    expect(user).toMatchObject({ status: 'ok', user: { email } });
    // The attacker is still held back.
    expect(
      await authenticate({ email, password: PASSWORD, clientAddress: attacker }),
    ).toMatchObject({ status: 'rate_limited' });
  });

  it('lets the next attempt through once the back-off has expired, and a success resets it', async () => {
    const email = await createUser();
    const clientAddress = address();
    await failSequentially(5, (index) => ({ email, password: `wrong ${index}`, clientAddress }));
    expect(await authenticate({ email, password: PASSWORD, clientAddress })).toEqual({
      status: 'rate_limited',
      retryAfterSeconds: 1,
    });

    await letWaitsRunOut({ email });
    expect(await authenticate({ email, password: PASSWORD, clientAddress })).toMatchObject({
      status: 'ok',
    });
    // Reset: five fresh failures are free again before the sixth is refused.
    const after = await failSequentially(6, (index) => ({
      email,
      password: `wrong again ${index}`,
      clientAddress,
    }));
    expect(statuses(after)).toEqual([...Array(5).fill('invalid'), 'rate_limited']);
  });

  it('doubles the wait with every failure checked after a back-off expires', async () => {
    const email = await createUser();
    const clientAddress = address();
    await failSequentially(5, (index) => ({ email, password: `wrong ${index}`, clientAddress }));
    const waitsSeconds: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      await letWaitsRunOut({ email });
      expect(
        await authenticate({ email, password: `wrong round ${round}`, clientAddress }),
      ).toEqual({ status: 'invalid' });
      expect(await authenticate({ email, password: PASSWORD, clientAddress })).toMatchObject({
        status: 'rate_limited',
      });
      const pair = await getPool().query<{ wait: number }>(
        `SELECT extract(epoch FROM blocked_until - last_attempt_at)::float8 AS wait
           FROM login_throttle WHERE scope = 'email_client' AND email = $1`,
        [email],
      );
      waitsSeconds.push(pair.rows[0]?.wait ?? -1);
    }
    expect(waitsSeconds).toEqual([2, 4, 8, 16]);
  });

  it('slows down one client trying many emails, but not other clients', async () => {
    const sprayer = address();
    const sprayed = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        authenticate({
          email: `nobody_${index}_${randomBytes(3).toString('hex')}@example.com`,
          password: 'Spring2026!Spring2026!',
          clientAddress: sprayer,
        }),
      ),
    );
    expect(count(sprayed, 'invalid') + count(sprayed, 'busy')).toBe(30);
    const email = await createUser();
    // Sequential retries of anything the bound on concurrent checks turned away.
    for (let index = count(sprayed, 'busy'); index > 0; index -= 1) {
      await authenticate({
        email: `late_${index}_${randomBytes(3).toString('hex')}@example.com`,
        password: 'Spring2026!Spring2026!',
        clientAddress: sprayer,
      });
    }
    expect(await authenticate({ email, password: PASSWORD, clientAddress: sprayer })).toEqual({
      status: 'rate_limited',
      retryAfterSeconds: 1,
    });
    expect(
      await authenticate({ email, password: PASSWORD, clientAddress: address() }),
    ).toMatchObject({
      status: 'ok',
    });
  });

  it('slows down guesses at one email from many addresses, for at most 30 seconds', async () => {
    const email = await createUser();
    const distributed = await failSequentially(20, (index) => ({
      email,
      password: `botnet guess ${index}`,
      clientAddress: address(),
    }));
    expect(statuses(distributed)).toEqual(Array(20).fill('invalid'));
    expect(await authenticate({ email, password: PASSWORD, clientAddress: address() })).toEqual({
      status: 'rate_limited',
      retryAfterSeconds: 1,
    });

    // However long the attack has gone on, the wait is capped.
    await getPool().query(
      `UPDATE login_throttle SET failures = 100000, blocked_until = NULL
        WHERE scope = 'email' AND email = $1`,
      [email],
    );
    expect(
      await authenticate({ email, password: 'one more guess', clientAddress: address() }),
    ).toEqual({ status: 'invalid' });
    const refused = await authenticate({ email, password: PASSWORD, clientAddress: address() });
    expect(refused).toMatchObject({ status: 'rate_limited' });
    expect(refused.status === 'rate_limited' && refused.retryAfterSeconds).toBeLessThanOrEqual(30);

    await letWaitsRunOut({ email });
    expect(
      await authenticate({ email, password: PASSWORD, clientAddress: address() }),
    ).toMatchObject({
      status: 'ok',
    });
  });

  it('without a client address, throttles per email only, and never for longer than its cap', async () => {
    const email = await createUser();
    const results = await failSequentially(21, (index) => ({
      email,
      password: `wrong ${index}`,
      clientAddress: null,
    }));
    expect(statuses(results)).toEqual([...Array(20).fill('invalid'), 'rate_limited']);
    const refused = results[20];
    expect(refused?.status === 'rate_limited' && refused.retryAfterSeconds).toBeLessThanOrEqual(30);
    const buckets = await getPool().query<{ scope: string; client_address: string }>(
      'SELECT scope, client_address FROM login_throttle WHERE email = $1 ORDER BY scope',
      [email],
    );
    expect(buckets.rows).toEqual([{ scope: 'email', client_address: '' }]);
    const recorded = await getPool().query(
      'SELECT DISTINCT ip FROM login_attempts WHERE email = $1',
      [email],
    );
    expect(recorded.rows).toEqual([{ ip: 'unknown' }]);
  });

  it('refuses a disabled user with the right password, and counts it as a failure', async () => {
    const email = await createUser({ disabled: true });
    const clientAddress = address();
    expect(await authenticate({ email, password: PASSWORD, clientAddress })).toEqual({
      status: 'invalid',
    });
    const pair = await getPool().query<{ failures: number }>(
      "SELECT failures FROM login_throttle WHERE scope = 'email_client' AND email = $1",
      [email],
    );
    expect(pair.rows).toEqual([{ failures: 1 }]);
  });

  it('turns sign-ins away beyond the bound on concurrent password checks, rather than queueing them', async () => {
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, index) =>
        authenticate({
          email: `flood_${index}_${randomBytes(4).toString('hex')}@example.com`,
          password: 'random guess at a random email',
          clientAddress: address(),
        }),
      ),
    );
    const busy = results.filter((result) => result.status === 'busy');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]).toEqual({ status: 'busy', retryAfterSeconds: 1 });
    expect(count(results, 'invalid') + busy.length).toBe(80);
  });
});
