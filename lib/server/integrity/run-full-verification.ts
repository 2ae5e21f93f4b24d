// A full re-verification, as an admin asks for it: every stream's chain from the first event,
// every head against its projection, and every sealed range against its signed checkpoint, with
// progress recorded as it goes. Runs in the verifier's worker thread (verifier-worker.ts), one at
// a time across app instances.

import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/advisory-lock';
import { withSnapshot, type Pool } from '../db/pool';
import { mergeProblems } from './integrity-problem';
import { checkpointSetup } from '../checkpoints/checkpoint-settings';
import { verifyAgainstCheckpoints } from '../checkpoints/verify-against-checkpoints';
import { verifyIntegrity } from './verify-integrity';

/**
 * Takes the oldest queued run, if any, and carries it out. Returns the run's id, or null when
 * nothing was queued or another instance is already running one.
 */
export async function runQueuedFullVerification(db: Pool): Promise<string | null> {
  const outcome = await withAdvisoryLock(db, ADVISORY_LOCKS.fullVerification, async (client) => {
    // Holding the lock, no other instance is running one: a run still marked running was
    // interrupted (its process stopped) and never finished.
    await client.query(
      `UPDATE integrity_runs SET status = 'failed', finished_at = now() WHERE status = 'running'`,
    );
    const claimed = await client.query<{ id: string }>(
      `UPDATE integrity_runs
            SET status = 'running', started_at = now(), total_events = (SELECT count(*) FROM events)
          WHERE id = (SELECT id FROM integrity_runs WHERE status = 'queued' ORDER BY id LIMIT 1)
          RETURNING id::text AS id`,
    );
    const runId = claimed.rows[0]?.id;
    if (!runId) return null;
    try {
      // Every read of the run sees one snapshot, on a connection of its own: compared statement
      // by statement, an account written between reading its events and reading its projection
      // row would be reported as a mismatch that never existed. Progress goes through the locking
      // connection, outside the snapshot, so the audit page sees it as it happens. Like pg_dump,
      // the snapshot holds back vacuum while the run lasts; runs are rare and one at a time.
      // The signed checkpoints are read first: each was stored in the database before it reached
      // its sink, so the snapshot taken after holds every checkpoint and event they cover.
      const { key, primarySink } = checkpointSetup();
      const signed = key ? await primarySink.readAll() : null;
      const { chains, sealed } = await withSnapshot(db, async (snapshot) => {
        const chains = await verifyIntegrity(snapshot, {
          onProgress: async (checkedEvents) => {
            await client.query('UPDATE integrity_runs SET checked_events = $2 WHERE id = $1', [
              runId,
              checkedEvents,
            ]);
          },
        });
        // Then the whole database against every signed checkpoint kept outside it.
        const sealed =
          key && signed
            ? await verifyAgainstCheckpoints(snapshot, { signed, publicKey: key.publicKey })
            : null;
        return { chains, sealed };
      });
      const allProblems = mergeProblems(chains.problems, sealed?.problems ?? []);
      const report = { ...chains, ok: allProblems.length === 0, problems: allProblems };
      if (sealed?.sealedThrough)
        await client.query(
          'UPDATE integrity_state SET checkpoints_verified_through = greatest(checkpoints_verified_through, $1) WHERE id',
          [sealed.sealedThrough.number],
        );
      await client.query(
        `UPDATE integrity_runs SET status = 'succeeded', finished_at = now(), ok = $2, problems = $3,
                  checked_events = $4
            WHERE id = $1`,
        [runId, report.ok, JSON.stringify(report.problems), report.checkedEvents],
      );
      // A clean full run is the one thing that clears standing problems: the whole ledger was
      // just proven intact. Problems it found are added to the standing ones.
      const state = await client.query<{ problems: [] }>(
        'SELECT problems FROM integrity_state WHERE id',
      );
      const problems = report.ok
        ? []
        : mergeProblems(state.rows[0]?.problems ?? [], report.problems);
      await client.query('UPDATE integrity_state SET problems = $1, checked_at = now() WHERE id', [
        JSON.stringify(problems),
      ]);
    } catch (error) {
      await client.query(
        `UPDATE integrity_runs SET status = 'failed', finished_at = now() WHERE id = $1`,
        [runId],
      );
      throw error;
    }
    return runId;
  });
  return outcome.locked ? outcome.value : null;
}
