// Sign-in throttling over HTTP, through next-auth's real endpoints on the real servers. The first
// instance trusts no proxy; the second believes X-Forwarded-For from this machine, so a test can
// pretend to be many clients.

import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { PASSWORD, createTestUser } from '../support/ledger';
import {
  behindTrustedProxy,
  checkedAttempts,
  csrfToken,
  forgetLoopbackClientFailures,
  isLoopback,
  recordedAddresses,
  signInOverHttp,
  testAddress,
  type SignInAnswer,
} from '../support/sign-in';

const nobody = () => `nobody_${randomBytes(5).toString('hex')}@e2e.test`;
const statuses = (answers: SignInAnswer[]) => answers.map((answer) => answer.status);

test.describe('sign-in throttling', () => {
  test('a spoofed X-Forwarded-For from an untrusted peer does not escape the per-client limit', async ({
    request,
  }) => {
    await forgetLoopbackClientFailures();
    try {
      // Thirty different emails, each "from" a different forwarded address: to this server they
      // all come from one client, the socket's.
      const emails = Array.from({ length: 30 }, nobody);
      const token = await csrfToken(request);
      for (const [index, email] of emails.entries()) {
        const answer = await signInOverHttp(request, {
          email,
          password: 'Spring2026!Spring2026!',
          forwardedFor: `192.0.2.${index + 1}`,
          csrfToken: token,
        });
        expect(answer).toMatchObject({ status: 401, error: 'CredentialsSignin' });
      }
      const refused = await signInOverHttp(request, {
        email: nobody(),
        password: 'Spring2026!Spring2026!',
        forwardedFor: '192.0.2.200',
        csrfToken: token,
      });
      expect(refused).toMatchObject({ status: 429, error: 'rate_limited', retryAfter: '1' });
      // What was recorded is the socket's address, never the one the client claimed.
      const recorded = await recordedAddresses(emails[0] as string);
      expect(recorded).toHaveLength(1);
      expect(isLoopback(recorded[0] as string)).toBe(true);
    } finally {
      await forgetLoopbackClientFailures();
    }
  });

  test('behind a trusted proxy, the forwarded client address is the one throttled and recorded', async () => {
    const request = await behindTrustedProxy();
    const user = await createTestUser('support');
    const client = testAddress();
    // The client wrote the first entry itself; the proxy appended the address it saw.
    const answer = await signInOverHttp(request, {
      email: user.email,
      password: PASSWORD,
      forwardedFor: `192.0.2.66, ${client}`,
    });
    expect(answer).toMatchObject({ status: 200, error: null, hasSession: true });
    expect(await recordedAddresses(user.email)).toEqual([client]);
    await request.dispose();
  });

  test('20 parallel wrong passwords for one email and client: five are checked, the rest answer 429', async () => {
    const request = await behindTrustedProxy();
    const user = await createTestUser('support');
    const client = testAddress();
    const token = await csrfToken(request);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        signInOverHttp(request, {
          email: user.email,
          password: `wrong password ${index}`,
          forwardedFor: client,
          csrfToken: token,
        }),
      ),
    );
    expect(statuses(answers).filter((status) => status === 401)).toHaveLength(5);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(15);
    for (const answer of refused) {
      expect(['rate_limited', 'busy']).toContain(answer.error);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Only the five that got through were checked (and recorded).
    expect(await checkedAttempts(user.email)).toBe(5);
    await request.dispose();
  });

  test("an attacker's failures from one address do not stop the user signing in from another", async () => {
    const request = await behindTrustedProxy();
    const admin = await createTestUser('admin');
    const attacker = testAddress();
    const token = await csrfToken(request);
    const attack: SignInAnswer[] = [];
    for (let guess = 0; guess < 8; guess += 1) {
      attack.push(
        await signInOverHttp(request, {
          email: admin.email,
          password: `guess ${guess}`,
          forwardedFor: attacker,
          csrfToken: token,
        }),
      );
    }
    expect(statuses(attack).slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses(attack).slice(5)).toEqual(Array(3).fill(429));

    const fromElsewhere = await signInOverHttp(request, {
      email: admin.email,
      password: PASSWORD,
      forwardedFor: testAddress(),
    });
    expect(fromElsewhere).toMatchObject({ status: 200, error: null, hasSession: true });
    await request.dispose();
  });

  test('a flood of sign-ins with random emails is turned away beyond the bound on password checks', async () => {
    const request = await behindTrustedProxy();
    const token = await csrfToken(request);
    // Every attempt is a different email from a different client, so no throttle bucket fills:
    // only the bound on concurrent password checks stands between the flood and the CPU.
    const answers = await Promise.all(
      Array.from({ length: 120 }, () =>
        signInOverHttp(request, {
          email: nobody(),
          password: 'random guess at a random email',
          forwardedFor: testAddress(),
          csrfToken: token,
        }),
      ),
    );
    const busy = answers.filter((answer) => answer.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) expect(answer).toMatchObject({ error: 'busy', retryAfter: '1' });
    // Everything else was checked and refused; nothing failed or hung.
    expect(answers.length - busy.length).toBe(
      answers.filter((answer) => answer.status === 401).length,
    );
    await request.dispose();
  });
});
