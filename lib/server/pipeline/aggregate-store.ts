// How the pipeline reads and writes an aggregate's rows: each aggregate registers one store
// (lib/server/aggregates/stores.ts) that locks and loads its state under lock, and keeps its
// projections in step with its events. The pipeline itself knows no table.

import type { AggregateKind, SequencedEvent } from '../../ledger/aggregate';
import type { AggregateStates } from '../../ledger/aggregates';
import type { LedgerState } from '../../ledger/ledger-state';
import type { PoolClient } from '../db/pool';
import type { StreamHead } from '../event-store/types';

export interface LoadedAggregate<S> {
  readonly state: S;
  /** The stream's last event, which the next event chains onto. */
  readonly head: StreamHead;
}

/** An applied event with what the event store gave it, and its aggregate's state right after it. */
export interface ProjectedEvent<K extends AggregateKind = AggregateKind> extends SequencedEvent {
  readonly globalPosition: bigint;
  readonly hash: string;
  readonly stateAfter: AggregateStates[K];
}

export interface AggregateStore<K extends AggregateKind> {
  /**
   * Locks the aggregates' rows (`SELECT … FOR UPDATE`, in id order) and loads their state. Ids
   * with no row (not created yet) are absent from the answer.
   */
  lockAndLoad(
    tx: PoolClient,
    ids: readonly string[],
  ): Promise<Map<string, LoadedAggregate<AggregateStates[K]>>>;
  /**
   * Writes the projections for `events` (this kind's only, in append order), given the ledger
   * state before and after them. Throws a ConcurrencyError when a row moved meanwhile.
   */
  project(
    tx: PoolClient,
    change: { before: LedgerState; after: LedgerState; events: readonly ProjectedEvent<K>[] },
  ): Promise<void>;
}
