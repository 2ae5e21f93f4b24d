// The reference answer: fold every event of an aggregate from the beginning. Slow by design
// (linear in the stream's length); the projections must always agree with it, which the
// property tests check and the benchmark measures against.

import {
  refOf,
  streamIdOf,
  refOfStream,
  type AggregateKind,
  type SequencedEvent,
} from '../../ledger/aggregate';
import { evolveAggregate, type AggregateStates } from '../../ledger/aggregates';
import { decodeLedgerEvent } from '../../ledger/events';
import { getPool, type Queryable } from '../db/pool';
import { forEachStreamPage } from '../event-store/read-stream';
import type { RecordedEvent } from '../event-store/types';

/** A stored event as the domain folds it. */
export function toSequencedEvent(recorded: RecordedEvent): SequencedEvent {
  const target = refOfStream(recorded.streamId);
  if (!target) throw new Error(`not an aggregate's stream: ${recorded.streamId}`);
  return {
    eventId: recorded.eventId,
    target,
    version: recorded.streamVersion,
    occurredAt: recorded.occurredAt,
    event: decodeLedgerEvent(recorded),
  };
}

/**
 * The aggregate's state after every event that took effect at or before `at` (all events if
 * absent); undefined when it has no events then.
 */
export async function replayFromLog<K extends AggregateKind>(options: {
  kind: K;
  id: string;
  at?: Date;
  db?: Queryable;
}): Promise<AggregateStates[K] | undefined> {
  const db = options.db ?? getPool();
  const atMs = options.at?.getTime() ?? Number.POSITIVE_INFINITY;
  let state: AggregateStates[K] | undefined;
  await forEachStreamPage(db, streamIdOf(refOf(options.kind, options.id)), (page) => {
    for (const recorded of page) {
      // occurred_at never decreases within a stream: the first later event ends the replay.
      if (recorded.occurredAt.getTime() > atMs) return false;
      state = evolveAggregate(options.kind, state, toSequencedEvent(recorded));
    }
    return true;
  });
  return state;
}
