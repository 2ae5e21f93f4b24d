// The background sealer: every second it seals what is due — a checkpoint of N events as soon as
// N are waiting, and whatever is waiting once the oldest of it has waited T — then writes new
// checkpoints to the sinks. It runs in every app instance; the advisory lock inside
// sealNextCheckpoint lets one seal at a time, and every instance keeps its own sinks up to date.

import path from 'node:path';
import type { SignedCheckpoint } from '../../evidence/checkpoint';
import { DATA_DIR } from '../data-dir';
import type { Pool } from '../db/pool';
import { errorMessage, logLine } from '../log';
import { FileCheckpointSink, RedisCheckpointSink, type CheckpointSink } from './checkpoint-sinks';
import { publishCheckpoints } from './publish-checkpoints';
import { lastCheckpointEnd, sealNextCheckpoint } from './seal-checkpoint';
import type { SigningKey } from './signing-key';

export interface SealerSettings {
  /** At most this many events per checkpoint; a checkpoint is sealed as soon as this many wait. */
  readonly maxEvents: number;
  /** No committed event waits longer than this to be sealed (plus the one-second tick). */
  readonly intervalMs: number;
  /** Where the checkpoints file is kept. */
  readonly directory: string;
  /** A Redis stream too, when set. */
  readonly redisUrl?: string | undefined;
  /** The stream's key: one per ledger, so that two databases never share one. */
  readonly redisKey?: string | undefined;
}

export const DEFAULT_CHECKPOINT_EVENTS = 1_000;
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;
const TICK_MS = 1_000;

export function sealerSettingsFromEnvironment(): SealerSettings {
  const events = Number.parseInt(process.env.CHRONICLE_CHECKPOINT_EVENTS ?? '', 10);
  const interval = Number.parseInt(process.env.CHRONICLE_CHECKPOINT_INTERVAL_MS ?? '', 10);
  return {
    maxEvents: Number.isSafeInteger(events) && events > 0 ? events : DEFAULT_CHECKPOINT_EVENTS,
    intervalMs:
      Number.isSafeInteger(interval) && interval > 0 ? interval : DEFAULT_CHECKPOINT_INTERVAL_MS,
    directory: process.env.CHRONICLE_CHECKPOINT_DIR || path.join(DATA_DIR, 'checkpoints'),
    redisUrl: process.env.REDIS_URL || undefined,
    redisKey:
      process.env.CHRONICLE_CHECKPOINT_STREAM ||
      `chronicle:checkpoints:${databaseNameOf(process.env.DATABASE_URL)}`,
  };
}

function databaseNameOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').pathname.replace(/^\//, '') || 'default';
  } catch {
    return 'default';
  }
}

export function checkpointSinksFor(settings: SealerSettings): CheckpointSink[] {
  return [
    new FileCheckpointSink(settings.directory),
    ...(settings.redisUrl ? [new RedisCheckpointSink(settings.redisUrl, settings.redisKey)] : []),
  ];
}

/** Seals every checkpoint that is due now; returns them in order. */
export async function sealDueCheckpoints(
  db: Pool,
  key: SigningKey,
  settings: Pick<SealerSettings, 'maxEvents' | 'intervalMs'>,
): Promise<SignedCheckpoint[]> {
  const sealed: SignedCheckpoint[] = [];
  for (;;) {
    const end = await lastCheckpointEnd(db);
    const waiting = await db.query<{ pending: number; overdue: boolean }>(
      `SELECT count(*)::int AS pending,
              coalesce(min(recorded_at) <= now() - make_interval(secs => $4::double precision / 1000), false) AS overdue
         FROM (SELECT recorded_at FROM events
                WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
                  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY transaction_id, global_position LIMIT $3) waiting`,
      [end.transactionId, end.globalPosition, settings.maxEvents, settings.intervalMs],
    );
    const { pending = 0, overdue = false } = waiting.rows[0] ?? {};
    if (pending === 0 || (pending < settings.maxEvents && !overdue)) return sealed;
    const next = await sealNextCheckpoint(db, key, { maxEvents: settings.maxEvents });
    // Another instance is sealing: it will carry on.
    if (!next) return sealed;
    sealed.push(next);
  }
}

export interface CheckpointSealer {
  stop(): Promise<void>;
}

export function startCheckpointSealer(options: {
  db: Pool;
  key: SigningKey;
  settings: SealerSettings;
}): CheckpointSealer {
  const sinks = checkpointSinksFor(options.settings);
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        const sealed = await sealDueCheckpoints(options.db, options.key, options.settings);
        if (sealed.length > 0)
          logLine('info', 'sealed checkpoints', {
            through: sealed[sealed.length - 1]?.checkpoint.number,
            count: sealed.length,
          });
        await publishCheckpoints(options.db, sinks);
      } catch (error) {
        logLine('warn', 'sealing checkpoints failed; retrying', { error: errorMessage(error) });
      }
    })().finally(() => {
      running = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, Math.min(TICK_MS, options.settings.intervalMs));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await Promise.all(sinks.map((sink) => sink.close()));
    },
  };
}
