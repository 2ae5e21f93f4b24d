import { getCheckpointStatus } from '../checkpoints/get-checkpoint-status';
import { getPool } from '../db/pool';
import { replicaStatuses } from '../db/read-pool';
import { getNotifier } from '../notifications/notifier';

export type DependencyStatus = 'ok' | 'unavailable' | 'not_configured';

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly database: DependencyStatus;
  readonly redis: DependencyStatus;
  /** Sealing and the sinks outside the database; `behind` when a sink fails or sealing lags. */
  readonly checkpoints: 'ok' | 'behind' | 'not_configured' | 'unavailable';
  /** Only with DATABASE_REPLICA_URL (lib/server/db/read-pool.ts). */
  readonly replicas?: {
    readonly configured: number;
    readonly healthy: number;
    readonly maxLagBytes: number | null;
  };
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS),
    ),
  ]);
}

/**
 * The database is essential: without it Chronicle is unavailable. Redis only carries wake-ups,
 * so without it Chronicle is degraded (live updates fall back to polling), not down; so is a
 * Chronicle whose checkpoints do not reach their sinks outside the database.
 */
export async function checkHealth(): Promise<HealthReport> {
  const database = await withTimeout(getPool().query('SELECT 1')).then(
    () => 'ok' as const,
    () => 'unavailable' as const,
  );
  const notifier = getNotifier();
  const redis =
    notifier.kind === 'redis'
      ? await withTimeout(notifier.ping()).then(
          () => 'ok' as const,
          () => 'unavailable' as const,
        )
      : ('not_configured' as const);
  const checkpoints =
    database === 'ok'
      ? await withTimeout(getCheckpointStatus({ db: getPool() })).then(
          (report) => report.state,
          () => 'unavailable' as const,
        )
      : ('unavailable' as const);
  // A replica that is down or behind costs the primary its reads, never a wrong answer: degraded.
  const replicas = await withTimeout(replicaStatuses()).then(
    (statuses) => statuses,
    () => [],
  );
  const lags = replicas.flatMap((replica) => (replica.lagBytes === null ? [] : [replica.lagBytes]));
  const replicaSummary =
    replicas.length === 0
      ? {}
      : {
          replicas: {
            configured: replicas.length,
            healthy: replicas.filter((replica) => replica.isHealthy).length,
            maxLagBytes: lags.length > 0 ? Math.max(...lags) : null,
          },
        };
  const status =
    database !== 'ok'
      ? 'unavailable'
      : redis === 'unavailable' ||
          checkpoints === 'behind' ||
          replicas.some((replica) => !replica.isHealthy)
        ? 'degraded'
        : 'ok';
  return { status, database, redis, checkpoints, ...replicaSummary };
}
