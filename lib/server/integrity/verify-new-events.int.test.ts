// The incremental integrity verifier against real tampering: an insider with database rights
// switches the immutability trigger off and edits or deletes events. The pass verifies only what
// is new, records how far it got, and catches deleted newest events through the heads.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { context, openTestAccount, separatePool } from '../../../test/support';
import { placeHold } from '../commands/place-hold';
import { depositFunds } from '../commands/deposit-funds';
import { getPool } from '../db/pool';
import { accountWithDeposits, resetVerifier, tamper } from './integrity-test-support';
import { INTEGRITY_STALE_AFTER_SECONDS, getIntegrityStatus } from './get-integrity-status';
import type { IntegrityProblem } from './integrity-problem';
import { untilCommitSafe } from '../checkpoints/checkpoint-test-support';
import { verifyNewEvents } from './verify-new-events';
import { verifyIntegrity } from './verify-integrity';
import { createUser } from '../users/create-user';
import { updateUserAccess } from '../users/update-user-access';

function problemsOf(accountId: string, problems: readonly IntegrityProblem[]) {
  return problems.filter((problem) => problem.streamId === `account-${accountId}`);
}

/** A pass once every committed event is commit-safe (another test file's transaction can hold
 * them back for a moment): what a pass checks is then exactly what the test wrote. */
async function verifyNow() {
  await untilCommitSafe();
  return verifyNewEvents(getPool());
}

describe('the incremental verifier', () => {
  it('verifies each new event once and answers from what it recorded', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(3);
    const first = await verifyNow();
    const total = Number(
      (await getPool().query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n,
    );
    expect(first).toMatchObject({ ran: true, checkedEvents: total, problems: [] });

    await depositFunds({ accountId, input: { amount: '1.00' }, context: context() });
    expect((await getIntegrityStatus({ db: getPool() })).pendingEvents).toBe(1);
    const second = await verifyNow();
    expect(second.checkedEvents).toBe(1);
    const status = await getIntegrityStatus({ db: getPool() });
    expect(status).toMatchObject({ ok: true, verifiedEvents: total + 1, pendingEvents: 0 });
  });

  it('runs once across instances: a second verifier waits its turn', async () => {
    await resetVerifier();
    await accountWithDeposits(2);
    const [a, b] = await Promise.all([
      untilCommitSafe().then(() => verifyNewEvents(separatePool(2))),
      untilCommitSafe().then(() => verifyNewEvents(separatePool(2))),
    ]);
    const total = Number(
      (await getPool().query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n,
    );
    // Either one did everything while the other stood aside, or they took turns; never both.
    expect(a.checkedEvents + b.checkedEvents).toBe(total);
    expect((await getIntegrityStatus({ db: getPool() })).verifiedEvents).toBe(total);
  });

  it('calls its answer stale, and not ok, when no pass has finished lately', async () => {
    await resetVerifier();
    // Never checked: nothing is known yet.
    expect(await getIntegrityStatus({ db: getPool() })).toMatchObject({ ok: false, stale: true });
    await verifyNow();
    expect(await getIntegrityStatus({ db: getPool() })).toMatchObject({ ok: true, stale: false });
    await tamper(
      `UPDATE integrity_state SET checked_at = now() - make_interval(secs => $1 + 1) WHERE id`,
      [INTEGRITY_STALE_AFTER_SECONDS],
    );
    const stale = await getIntegrityStatus({ db: getPool() });
    expect(stale).toMatchObject({ ok: false, stale: true, problems: [] });
    await verifyNow();
    expect(await getIntegrityStatus({ db: getPool() })).toMatchObject({ ok: true, stale: false });
  });

  it('reports an event edited before it was verified', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(2);
    await tamper(
      `UPDATE events SET data = jsonb_set(data, '{amountMinor}', '"99999"') WHERE stream_id = $1 AND stream_version = 3`,
      [`account-${accountId}`],
    );
    const pass = await verifyNow();
    expect(pass.problems).toContainEqual(
      expect.objectContaining({
        reason: 'hash_mismatch',
        streamId: `account-${accountId}`,
        streamVersion: 3,
      }),
    );
  });

  it('reports the newest event of a stream deleted after it was verified, precisely', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(3);
    expect(problemsOf(accountId, (await verifyNow()).problems)).toEqual([]);
    await tamper('DELETE FROM events WHERE stream_id = $1 AND stream_version = 5', [
      `account-${accountId}`,
    ]);
    const status = await getIntegrityStatus({ db: getPool() });
    // Until the next pass, the standing answer is the last one.
    expect(problemsOf(accountId, status.problems)).toEqual([]);
    const pass = await verifyNow();
    expect(pass.problems).toContainEqual(
      expect.objectContaining({
        reason: 'head_mismatch',
        streamId: `account-${accountId}`,
        streamVersion: 5,
        detail: expect.stringMatching(
          /^the stream's recorded head is version 5 \(hash [0-9a-f]{12}…\) but the stream ends at version 4 \(hash [0-9a-f]{12}…\)$/,
        ),
      }),
    );
    expect(pass.problems).toContainEqual(
      expect.objectContaining({
        reason: 'verified_event_changed',
        streamId: `account-${accountId}`,
        streamVersion: 5,
      }),
    );
    expect((await getIntegrityStatus({ db: getPool() })).ok).toBe(false);
  });

  it('reports the newest event of an admin trail deleted after it was verified', async () => {
    await resetVerifier();
    const admin = await createUser({
      input: {
        email: `trail-${randomUUID()}@example.test`,
        name: 'Trail',
        role: 'support',
        password: 'correct horse battery',
      },
      actor: 'system:test',
    });
    await updateUserAccess({
      actingUserId: randomUUID(),
      userId: admin.id,
      change: { role: 'auditor' },
    });
    const streamId = `user-${admin.id}`;
    const ofStream = (problems: readonly IntegrityProblem[]) =>
      problems.filter((problem) => problem.streamId === streamId);
    expect(ofStream((await verifyNow()).problems)).toEqual([]);
    await tamper('DELETE FROM events WHERE stream_id = $1 AND stream_version = 2', [streamId]);
    // No projection records this stream's head: only the recorded stream head can tell.
    expect(ofStream((await verifyNow()).problems)).toContainEqual(
      expect.objectContaining({ reason: 'head_mismatch', streamId, streamVersion: 2 }),
    );
  });

  it('reports money minted in the account projection with no event, in both kinds of pass', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(2);
    const streamId = `account-${accountId}`;
    expect(problemsOf(accountId, (await verifyNow()).problems)).toEqual([]);
    await tamper('UPDATE accounts SET balance_minor = balance_minor + 5000000 WHERE id = $1', [
      accountId,
    ]);
    expect((await verifyNow()).problems).toContainEqual(
      expect.objectContaining({
        reason: 'projection_mismatch',
        streamId,
        detail: expect.stringMatching(/^the account projection says balance 5000300 /),
      }),
    );
    const full = await verifyIntegrity(getPool(), { streamId });
    expect(full.ok).toBe(false);
    expect(full.problems).toContainEqual(
      expect.objectContaining({ reason: 'projection_mismatch', streamId }),
    );
  });

  it('reports a hold removed from the projection behind the ledger’s back, freeing its funds', async () => {
    await resetVerifier();
    const accountId = await openTestAccount({ balance: '50.00' });
    await placeHold({
      accountId,
      input: { amount: '40.00', reason: 'Authorisation' },
      context: context(),
    });
    await tamper('DELETE FROM account_holds WHERE account_id = $1', [accountId]);
    const full = await verifyIntegrity(getPool(), { streamId: `account-${accountId}` });
    expect(full.problems).toContainEqual(
      expect.objectContaining({
        reason: 'projection_mismatch',
        detail: expect.stringContaining('held 0 in 1 holds, owed 0; its events add up to'),
      }),
    );
  });

  it('reports a balance history rewritten before the events were verified', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(1);
    await tamper(
      'UPDATE balance_history SET balance_after_minor = balance_after_minor + 100 WHERE account_id = $1 AND version = 2',
      [accountId],
    );
    expect((await verifyNow()).problems).toContainEqual(
      expect.objectContaining({
        reason: 'projection_mismatch',
        streamId: `account-${accountId}`,
        streamVersion: 2,
      }),
    );
  });

  it('reports events written into a stream the ledger never recorded', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(1);
    const streamId = `account-${accountId}`;
    await tamper(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash)
       SELECT gen_random_uuid(), 'forged-' || $2, stream_version, type, schema_version, data, metadata, occurred_at, prev_hash, hash
         FROM events WHERE stream_id = $1`,
      [streamId, randomUUID()],
    );
    const full = await verifyIntegrity(getPool());
    expect(full.problems).toContainEqual(expect.objectContaining({ reason: 'unrecorded_stream' }));
  });

  // Tests that tamper come last in this file: the database is shared by its tests.
});
