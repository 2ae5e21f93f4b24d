// The reference answer: fold every event of the account from the beginning. Slow by design
// (linear in the stream's length); the projections must always agree with it, which the
// property tests check and the benchmark measures against.

import { evolve, initialState, type AccountEvent, type AccountState } from '../../ledger/account';
import { accountIdFromStreamId, accountStreamId, decodeLedgerEvent } from '../../ledger/events';
import { getPool, type Queryable } from '../db/pool';
import { forEachStreamPage } from '../event-store/read-stream';
import type { RecordedEvent } from '../event-store/types';

export function toAccountEvent(recorded: RecordedEvent): AccountEvent {
  return {
    eventId: recorded.eventId,
    accountId: accountIdFromStreamId(recorded.streamId),
    version: recorded.streamVersion,
    occurredAt: recorded.occurredAt,
    event: decodeLedgerEvent(recorded),
  };
}

/** The account's state after every event that took effect at or before `at` (all events if absent). */
export async function replayAccountFromLog(options: {
  accountId: string;
  at?: Date;
  db?: Queryable;
}): Promise<AccountState> {
  const db = options.db ?? getPool();
  const atMs = options.at?.getTime() ?? Number.POSITIVE_INFINITY;
  let state: AccountState = initialState;
  await forEachStreamPage(db, accountStreamId(options.accountId), (page) => {
    for (const recorded of page) {
      // occurred_at never decreases within a stream: the first later event ends the replay.
      if (recorded.occurredAt.getTime() > atMs) return false;
      state = evolve(state, toAccountEvent(recorded));
    }
    return true;
  });
  return state;
}
