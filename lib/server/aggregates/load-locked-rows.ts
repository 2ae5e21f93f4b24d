// What the stores of aggregates keyed by UUID (holds, dispute cases) share: lock their rows in one
// statement and turn each into its state and its stream's head; and write that head back.

import { UUID_PATTERN } from '../../ledger/limits';
import type { PoolClient } from '../db/pool';
import type { LoadedAggregate, ProjectedEvent } from '../pipeline/aggregate-store';

interface HeadColumns {
  version: number;
  last_event_hash: string;
  last_occurred_at: Date;
}

/**
 * Runs `lock` (a `SELECT … FOR UPDATE` taking the ids as `$1::uuid[]`) for the ids that are UUIDs —
 * any other id names no aggregate, and the decider says so — and loads each row found.
 */
export async function loadLockedRows<Row extends HeadColumns, S>(
  tx: PoolClient,
  ids: readonly string[],
  lock: (tx: PoolClient, params: unknown[]) => Promise<{ rows: Row[] }>,
  read: { idOf: (row: Row) => string; stateOf: (row: Row) => S },
): Promise<Map<string, LoadedAggregate<S>>> {
  const loaded = new Map<string, LoadedAggregate<S>>();
  const uuids = ids.filter((id) => UUID_PATTERN.test(id));
  if (uuids.length === 0) return loaded;
  for (const row of (await lock(tx, [uuids])).rows) {
    loaded.set(read.idOf(row), {
      state: read.stateOf(row),
      head: { version: row.version, hash: row.last_event_hash, occurredAt: row.last_occurred_at },
    });
  }
  return loaded;
}

/** The columns that say where a projection row stands in its stream: after its `last` event. */
export function headColumns(last: ProjectedEvent) {
  return {
    version: last.version,
    last_occurred_at: last.occurredAt.toISOString(),
    last_global_position: last.globalPosition.toString(),
    last_event_hash: last.hash,
  };
}
