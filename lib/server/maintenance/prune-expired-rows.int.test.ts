// Pruning removes what has expired and nothing else, and several instances prune once between them.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { context, openTestAccount, separatePool, superuserClient } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { getPool } from '../db/pool';
import { pruneExpiredRows } from './prune-expired-rows';

const SETTINGS = {
  idempotencyRetentionHours: 24,
  signInAttemptRetentionDays: 90,
  intervalMs: 60_000,
};

async function keyExists(idempotencyKey: string): Promise<boolean> {
  const result = await getPool().query('SELECT 1 FROM idempotency_keys WHERE key = $1', [
    idempotencyKey,
  ]);
  return result.rowCount === 1;
}

describe('pruning expired rows', () => {
  it('drops idempotency keys past their retention and expired revoked sessions, once across instances', async () => {
    const accountId = await openTestAccount();
    const oldKey = randomUUID();
    const youngKey = randomUUID();
    for (const key of [oldKey, youngKey])
      await depositFunds({
        accountId,
        input: { amount: '1.00' },
        context: context({ idempotencyKey: key }),
      });
    const owner = await superuserClient();
    try {
      await owner.query(
        `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
        [oldKey],
      );
      await owner.query(
        `INSERT INTO revoked_sessions (session_id, expires_at) VALUES
           ($1, now() - interval '1 minute'), ($2, now() + interval '1 hour')`,
        [randomUUID(), randomUUID()],
      );
      await owner.query(
        `INSERT INTO login_throttle (scope, email, client_address, failures, last_attempt_at) VALUES
           ('email', 'old@example.test', '', 3, now() - interval '25 hours'),
           ('email', 'recent@example.test', '', 3, now() - interval '1 hour')`,
      );
      await owner.query(
        `INSERT INTO login_attempts (email, ip, succeeded, attempted_at) VALUES
           ('old@example.test', '10.0.0.1', false, now() - interval '91 days'),
           ('recent@example.test', '10.0.0.1', false, now() - interval '1 day')`,
      );
    } finally {
      await owner.end();
    }
    const eventsBefore = (await getPool().query('SELECT count(*)::int AS n FROM events')).rows[0];

    // Two instances at once: one prunes, the other finds the lock taken or the job done.
    const outcomes = await Promise.all([
      pruneExpiredRows(separatePool(1), SETTINGS),
      pruneExpiredRows(separatePool(1), SETTINGS),
    ]);
    const ran = outcomes.filter((outcome) => outcome.ran);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({
      deleted: { idempotency_keys: 1, revoked_sessions: 1, login_throttle: 1, login_attempts: 1 },
    });
    const throttles = await getPool().query('SELECT email FROM login_throttle');
    expect(throttles.rows).toEqual([{ email: 'recent@example.test' }]);
    const attempts = await getPool().query('SELECT email FROM login_attempts');
    expect(attempts.rows).toEqual([{ email: 'recent@example.test' }]);
    expect(await keyExists(oldKey)).toBe(false);
    expect(await keyExists(youngKey)).toBe(true);
    const remaining = await getPool().query('SELECT count(*)::int AS n FROM revoked_sessions');
    expect(remaining.rows[0].n).toBe(1);
    // Events are facts: pruning never touches them.
    expect((await getPool().query('SELECT count(*)::int AS n FROM events')).rows[0]).toEqual(
      eventsBefore,
    );

    // Within the interval, nobody prunes again.
    expect(await pruneExpiredRows(getPool(), SETTINGS)).toEqual({ ran: false, reason: 'not_due' });
  });
});
