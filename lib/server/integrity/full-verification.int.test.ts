// A full re-verification, run by the verifier's real worker thread: it finds an edit deep in
// verified history that the incremental pass cannot see, and clears the alarm only once the whole
// ledger is intact again. (Its own file: it needs a database no other test has tampered with.)

import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { context } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { accountWithDeposits, resetVerifier, tamper, waitForRun } from './integrity-test-support';
import { getIntegrityStatus } from './get-integrity-status';
import { startIntegrityVerifier } from './integrity-verifier';
import { requestFullVerification } from './request-full-verification';
import { verifyNewEvents } from './verify-new-events';

describe('a full re-verification in the worker thread', () => {
  it('finds an edit deep in verified history, and clears the alarm once history is intact again', async () => {
    await resetVerifier();
    const accountId = await accountWithDeposits(4);
    expect((await verifyNewEvents(getPool())).problems).toEqual([]);
    const original = (
      await getPool().query<{ data: unknown }>(
        'SELECT data FROM events WHERE stream_id = $1 AND stream_version = 2',
        [`account-${accountId}`],
      )
    ).rows[0]?.data;
    await tamper(
      `UPDATE events SET data = jsonb_set(data, '{amountMinor}', '"99999"') WHERE stream_id = $1 AND stream_version = 2`,
      [`account-${accountId}`],
    );
    // The incremental pass only looks at what is new: the edit is invisible to it.
    expect((await verifyNewEvents(getPool())).problems).toEqual([]);

    const verifier = startIntegrityVerifier({
      databaseUrl: process.env.DATABASE_URL as string,
      intervalMs: 60_000,
    });
    try {
      const run = await requestFullVerification({ requestedBy: 'user:test-admin', db: getPool() });
      const finished = await waitForRun(run.id);
      expect(finished).toMatchObject({ status: 'succeeded', ok: false });
      const status = await getIntegrityStatus({ db: getPool() });
      expect(status.problems).toContainEqual(
        expect.objectContaining({
          reason: 'hash_mismatch',
          streamId: `account-${accountId}`,
          streamVersion: 2,
        }),
      );

      await tamper('UPDATE events SET data = $2 WHERE stream_id = $1 AND stream_version = 2', [
        `account-${accountId}`,
        JSON.stringify(original),
      ]);
      const again = await requestFullVerification({
        requestedBy: 'user:test-admin',
        db: getPool(),
      });
      expect(again.id).not.toBe(run.id);
      expect(await waitForRun(again.id)).toMatchObject({ status: 'succeeded', ok: true });
      expect((await getIntegrityStatus({ db: getPool() })).ok).toBe(true);
    } finally {
      await verifier.stop();
    }
  }, 60_000);

  it('reports nothing when money keeps moving while it runs: every read sees one snapshot', async () => {
    await resetVerifier();
    const accounts = await Promise.all(Array.from({ length: 8 }, () => accountWithDeposits(2)));
    const verifier = startIntegrityVerifier({
      databaseUrl: process.env.DATABASE_URL as string,
      intervalMs: 60_000,
    });
    let writing = true;
    let deposits = 0;
    // Deposits land on the accounts all through the run, between the run's reads of their
    // events and of their projection rows.
    const writer = (async () => {
      while (writing) {
        await Promise.all(
          accounts.map((accountId) =>
            depositFunds({ accountId, input: { amount: '0.01' }, context: context() }),
          ),
        );
        deposits += accounts.length;
      }
    })();
    try {
      const runs = [];
      for (let round = 0; round < 3; round += 1) {
        const run = await requestFullVerification({
          requestedBy: 'user:test-admin',
          db: getPool(),
        });
        runs.push(await waitForRun(run.id));
      }
      writing = false;
      await writer;
      expect(deposits).toBeGreaterThan(0);
      expect((await getIntegrityStatus({ db: getPool() })).problems).toEqual([]);
      for (const run of runs) expect(run).toMatchObject({ status: 'succeeded', ok: true });
    } finally {
      writing = false;
      await writer;
      await verifier.stop();
    }
  }, 90_000);
});
