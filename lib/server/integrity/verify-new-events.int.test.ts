// The incremental integrity verifier against real tampering: an insider with database rights
// switches the immutability trigger off and edits or deletes events. The pass verifies only what
// is new, records how far it got, and catches deleted newest events through the heads.

import { describe, expect, it } from 'vitest';
import { context, separatePool } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { getPool } from '../db/pool';
import { accountWithDeposits, resetVerifier, tamper } from './test-support';
import { getIntegrityStatus } from './get-integrity-status';
import type { IntegrityProblem } from './integrity-problem';
import { verifyNewEvents } from './verify-new-events';

function problemsOf(accountId: string, problems: readonly IntegrityProblem[]) {
  return problems.filter((problem) => problem.streamId === `account-${accountId}`);
}

describe('the incremental verifier', () => {
  it('verifies each new event once and answers from what it recorded', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(3);
    const first = await verifyNewEvents(getPool());
    const total = Number(
      (await getPool().query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n,
    );
    expect(first).toMatchObject({ ran: true, checkedEvents: total, problems: [] });

    await depositFunds({ accountId, input: { amount: '1.00' }, context: context() });
    expect((await getIntegrityStatus({ db: getPool() })).pendingEvents).toBe(1);
    const second = await verifyNewEvents(getPool());
    expect(second.checkedEvents).toBe(1);
    const status = await getIntegrityStatus({ db: getPool() });
    expect(status).toMatchObject({ ok: true, verifiedEvents: total + 1, pendingEvents: 0 });
  });

  it('runs once across instances: a second verifier waits its turn', async () => {
    await resetVerifier();
    await accountWithDeposits(2);
    const [a, b] = await Promise.all([
      verifyNewEvents(separatePool(2)),
      verifyNewEvents(separatePool(2)),
    ]);
    const total = Number(
      (await getPool().query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]?.n,
    );
    // Either one did everything while the other stood aside, or they took turns; never both.
    expect(a.checkedEvents + b.checkedEvents).toBe(total);
    expect((await getIntegrityStatus({ db: getPool() })).verifiedEvents).toBe(total);
  });

  it('reports an event edited before it was verified', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(2);
    await tamper(
      `UPDATE events SET data = jsonb_set(data, '{amountMinor}', '"99999"') WHERE stream_id = $1 AND stream_version = 3`,
      [`account-${accountId}`],
    );
    const pass = await verifyNewEvents(getPool());
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
    expect(problemsOf(accountId, (await verifyNewEvents(getPool())).problems)).toEqual([]);
    await tamper('DELETE FROM events WHERE stream_id = $1 AND stream_version = 5', [
      `account-${accountId}`,
    ]);
    const status = await getIntegrityStatus({ db: getPool() });
    // Until the next pass, the standing answer is the last one.
    expect(problemsOf(accountId, status.problems)).toEqual([]);
    const pass = await verifyNewEvents(getPool());
    expect(pass.problems).toContainEqual(
      expect.objectContaining({
        reason: 'head_mismatch',
        streamId: `account-${accountId}`,
        streamVersion: 5,
        detail: expect.stringMatching(
          /^the account projection says version 5 \(hash [0-9a-f]{12}…\) but the stream ends at version 4 \(hash [0-9a-f]{12}…\)$/,
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

  // Tests that tamper come last in this file: the database is shared by its tests.
});
