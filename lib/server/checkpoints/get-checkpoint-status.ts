// Where sealing stands, for /api/health, the integrity report and the audit page: the latest
// checkpoint, how many committed events wait to be sealed and for how long, and whether this
// instance's sinks hold every checkpoint. "Behind" means a sink failed or lags, or events have
// waited far longer than the sealing interval: someone should look.

import type { Queryable } from '../db/pool';
import { checkpointSetup } from './checkpoint-settings';
import { checkpointSinksFor } from './checkpoint-sealer';

export interface SinkStatus {
  readonly name: string;
  readonly writtenThrough: number;
  readonly lastWrittenAt: Date | null;
  readonly lastError: string | null;
  readonly lastAttemptAt: Date | null;
}

export interface CheckpointStatus {
  /** `not_configured`: this instance has no signing key, so nothing is sealed here. */
  readonly state: 'ok' | 'behind' | 'not_configured';
  readonly keyId: string | null;
  readonly latest: {
    readonly number: number;
    readonly sealedAt: Date;
    readonly throughPosition: string;
  } | null;
  /** Committed events not sealed yet (counted up to 100,000). */
  readonly unsealedEvents: number;
  readonly oldestUnsealedAt: Date | null;
  readonly sinks: readonly SinkStatus[];
}

const MAX_COUNTED = 100_000;
/** Grace beyond the sealing interval before waiting events count as "behind". */
const GRACE_MS = 30_000;
const SINK_GRACE_MS = 10_000;

export async function getCheckpointStatus(options: { db: Queryable }): Promise<CheckpointStatus> {
  const { key, settings } = checkpointSetup();
  const latest = await options.db.query<{
    number: string;
    sealed_at: Date;
    through_position: string;
    through_transaction: string;
  }>(
    `SELECT number::text AS number, sealed_at, through_position::text AS through_position,
            through_transaction::text AS through_transaction
       FROM checkpoints ORDER BY checkpoints.number DESC LIMIT 1`,
  );
  const last = latest.rows[0];
  const waiting = await options.db.query<{ pending: number; oldest: Date | null }>(
    `SELECT count(*)::int AS pending, min(recorded_at) AS oldest
       FROM (SELECT recorded_at FROM events
              WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
              ORDER BY transaction_id, global_position LIMIT $3) waiting`,
    [last?.through_transaction ?? '0', last?.through_position ?? '0', MAX_COUNTED],
  );
  const names = checkpointSinksFor(settings).map((sink) => sink.name);
  const sinkRows = await options.db.query<{
    sink: string;
    written_through: string;
    last_written_at: Date | null;
    last_error: string | null;
    last_attempt_at: Date | null;
  }>(
    `SELECT sink, written_through::text AS written_through, last_written_at, last_error, last_attempt_at
       FROM checkpoint_sinks WHERE sink = ANY($1)`,
    [names],
  );
  const byName = new Map(sinkRows.rows.map((row) => [row.sink, row]));
  const sinks = names.map((name): SinkStatus => {
    const row = byName.get(name);
    return {
      name,
      writtenThrough: Number(row?.written_through ?? 0),
      lastWrittenAt: row?.last_written_at ?? null,
      lastError: row?.last_error ?? null,
      lastAttemptAt: row?.last_attempt_at ?? null,
    };
  });
  const latestNumber = Number(last?.number ?? 0);
  const { pending = 0, oldest = null } = waiting.rows[0] ?? {};
  // A sink is written in the same round as the seal; a few seconds behind is the normal gap.
  const sealedAWhileAgo = last ? Date.now() - last.sealed_at.getTime() > SINK_GRACE_MS : false;
  const lagging =
    sinks.some(
      (sink) => sink.lastError !== null || (sink.writtenThrough < latestNumber && sealedAWhileAgo),
    ) ||
    (oldest !== null && Date.now() - oldest.getTime() > settings.intervalMs + GRACE_MS);
  return {
    state: key === null ? 'not_configured' : lagging ? 'behind' : 'ok',
    keyId: key?.keyId ?? null,
    latest: last
      ? { number: latestNumber, sealedAt: last.sealed_at, throughPosition: last.through_position }
      : null,
    unsealedEvents: pending,
    oldestUnsealedAt: oldest,
    sinks,
  };
}
