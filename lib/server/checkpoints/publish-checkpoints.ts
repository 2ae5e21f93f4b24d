// Writing checkpoints to every sink outside the database, in order, after they are sealed; a sink
// that fails is retried on the next round from where it stands, and its failure is recorded for
// /api/health and the audit page. Every app instance publishes to its own sinks (its file), so
// each keeps a complete copy whichever instance sealed.

import { errorMessage, logLine } from '../log';
import type { Pool } from '../db/pool';
import type { CheckpointSink } from './checkpoint-sinks';
import { listCheckpoints } from './stored-checkpoints';

const PAGE = 200;

export async function publishCheckpoints(
  db: Pool,
  sinks: readonly CheckpointSink[],
): Promise<void> {
  for (const sink of sinks) {
    try {
      const last = await sink.last();
      let written = last?.checkpoint.number ?? 0;
      if (last) {
        // A sink that holds another ledger's checkpoints (or a rewritten one's) is not appended
        // to: that is for a person to look at.
        const ours = await db.query<{ hash: string }>(
          'SELECT hash FROM checkpoints WHERE number = $1',
          [written],
        );
        if (ours.rows[0]?.hash !== last.hash)
          throw new Error(
            `the sink's checkpoint ${written} is not the database's: it belongs to another ledger, or one of them was rewritten`,
          );
      }
      for (;;) {
        const page = await listCheckpoints({ db, afterNumber: written, limit: PAGE });
        if (page.length === 0) break;
        await sink.append(page);
        written = page[page.length - 1]?.checkpoint.number ?? written;
        if (page.length < PAGE) break;
      }
      await db.query(
        `INSERT INTO checkpoint_sinks (sink, written_through, last_written_at, last_error, last_attempt_at)
         VALUES ($1, $2, now(), NULL, now())
         ON CONFLICT (sink) DO UPDATE
           SET written_through = excluded.written_through, last_error = NULL, last_attempt_at = now(),
               last_written_at = CASE WHEN checkpoint_sinks.written_through <> excluded.written_through
                                      THEN now() ELSE checkpoint_sinks.last_written_at END`,
        [sink.name, written],
      );
    } catch (error) {
      const message = errorMessage(error);
      logLine('error', 'could not write checkpoints to a sink; retrying', {
        sink: sink.name,
        error: message,
      });
      await db
        .query(
          `INSERT INTO checkpoint_sinks (sink, last_error, last_attempt_at) VALUES ($1, $2, now())
           ON CONFLICT (sink) DO UPDATE SET last_error = excluded.last_error, last_attempt_at = now()`,
          [sink.name, message.slice(0, 500)],
        )
        .catch(() => undefined);
    }
  }
}
