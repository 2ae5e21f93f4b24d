// The hold's rows: `holds` (its current state) and `hold_history` (its captured amount and status
// after every event, for point-in-time questions). Loaded under lock for the deciders, written in
// the same transaction as the events.

import type { PlacedHold } from '../../../ledger/hold/hold-state';
import { writeRowSets } from '../../db/json-rows';
import { namedStatement } from '../../db/pool';
import { ConcurrencyError } from '../../event-store/event-store-errors';
import type { AggregateStore, ProjectedEvent } from '../../pipeline/aggregate-store';
import { headColumns, loadLockedRows } from '../load-locked-rows';
import { HOLD_COLUMNS, holdRowToState, type HoldRow } from './hold-record';

const lockHolds = namedStatement<HoldRow>(
  'lock_holds',
  `SELECT ${HOLD_COLUMNS} FROM holds WHERE hold_id = ANY($1::uuid[]) ORDER BY hold_id FOR UPDATE`,
);

// The columns of each part's rows, as the JSON parameters carry them.
const UPDATED_HOLD = `hold_id uuid, expected_version int, captured_minor bigint, status text,
  ended_at timestamptz, version int, last_occurred_at timestamptz,
  last_global_position bigint, last_event_hash text`;
const PLACED_HOLD = `hold_id uuid, account_id text, currency text, amount_minor bigint, captured_minor bigint,
  status text, reason text, reference text, expires_at timestamptz, placed_at timestamptz,
  ended_at timestamptz, version int, last_occurred_at timestamptz,
  last_global_position bigint, last_event_hash text`;
const HOLD_HISTORY_ROW = `hold_id uuid, version int, occurred_at timestamptz, captured_after_minor bigint,
  status_after text, global_position bigint`;

export const holdStore: AggregateStore<'hold'> = {
  lockAndLoad: (tx, ids) =>
    loadLockedRows(tx, ids, lockHolds, { idOf: (row) => row.hold_id, stateOf: holdRowToState }),

  async project(tx, { before, events }) {
    const lastEvent = new Map<string, ProjectedEvent<'hold'>>();
    for (const event of events) lastEvent.set(event.target.id, event);
    const updated: object[] = [];
    const placed: object[] = [];
    for (const [holdId, last] of lastEvent) {
      const state = last.stateAfter as PlacedHold;
      const previous = before.hold.get(holdId);
      const row = {
        hold_id: holdId,
        captured_minor: state.capturedMinor.toString(),
        status: state.status,
        ended_at: state.status === 'active' ? null : state.lastOccurredAt.toISOString(),
        ...headColumns(last),
      };
      if (previous && previous.status !== 'none')
        updated.push({ ...row, expected_version: previous.version });
      else
        placed.push({
          ...row,
          account_id: state.accountId,
          currency: state.currency,
          amount_minor: state.amountMinor.toString(),
          reason: state.reason,
          reference: state.reference,
          expires_at: state.expiresAt?.toISOString() ?? null,
          placed_at: state.placedAt.toISOString(),
        });
    }
    const history = events.map((event) => {
      const state = event.stateAfter as PlacedHold;
      return {
        hold_id: event.target.id,
        version: event.version,
        occurred_at: event.occurredAt.toISOString(),
        captured_after_minor: state.capturedMinor.toString(),
        status_after: state.status,
        global_position: event.globalPosition.toString(),
      };
    });
    const counts = await writeRowSets(tx, 'write_hold_projections', [
      {
        name: 'updated',
        rows: updated,
        sql: (rows) => `UPDATE holds AS h
            SET captured_minor = r.captured_minor, status = r.status, ended_at = r.ended_at,
                version = r.version, last_occurred_at = r.last_occurred_at,
                last_global_position = r.last_global_position, last_event_hash = r.last_event_hash,
                updated_at = now()
           FROM ${rows(UPDATED_HOLD)}
          WHERE h.hold_id = r.hold_id AND h.version = r.expected_version
         RETURNING 1`,
      },
      {
        name: 'placed',
        rows: placed,
        sql: (
          rows,
        ) => `INSERT INTO holds (hold_id, account_id, currency, amount_minor, captured_minor, status,
                reason, reference, expires_at, placed_at, ended_at, version, last_occurred_at,
                last_global_position, last_event_hash, updated_at)
         SELECT r.hold_id, r.account_id, r.currency, r.amount_minor, r.captured_minor, r.status,
                r.reason, r.reference, r.expires_at, r.placed_at, r.ended_at, r.version,
                r.last_occurred_at, r.last_global_position, r.last_event_hash, now()
           FROM ${rows(PLACED_HOLD)}
         RETURNING 1`,
      },
      {
        name: 'history',
        rows: history,
        sql: (
          rows,
        ) => `INSERT INTO hold_history (hold_id, version, occurred_at, captured_after_minor,
                status_after, global_position)
         SELECT r.hold_id, r.version, r.occurred_at, r.captured_after_minor, r.status_after,
                r.global_position
           FROM ${rows(HOLD_HISTORY_ROW)}
         RETURNING 1`,
      },
    ]);
    if (counts.updated !== updated.length) {
      const [holdId] = lastEvent.keys();
      throw new ConcurrencyError(`hold-${holdId}`, before.hold.get(holdId ?? '')?.version ?? 0);
    }
  },
};
