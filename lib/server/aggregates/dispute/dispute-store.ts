// The dispute case's rows: `disputes` (its current state, evidence included). Loaded under lock
// for the deciders, written in the same transaction as the events.

import type { OpenedDispute } from '../../../ledger/dispute/dispute-state';
import { writeRowSets } from '../../db/json-rows';
import { namedStatement } from '../../db/pool';
import { ConcurrencyError } from '../../event-store/event-store-errors';
import type { AggregateStore, ProjectedEvent } from '../../pipeline/aggregate-store';
import { headColumns, loadLockedRows } from '../load-locked-rows';
import {
  DISPUTE_COLUMNS,
  disputeRowToState,
  encodeEvidence,
  type DisputeRow,
} from './dispute-record';

const lockDisputes = namedStatement<DisputeRow>(
  'lock_disputes',
  `SELECT ${DISPUTE_COLUMNS} FROM disputes d
    WHERE d.dispute_id = ANY($1::uuid[]) ORDER BY d.dispute_id FOR UPDATE`,
);

// The columns of each part's rows, as the JSON parameters carry them.
const CHANGING = `status text, assignee_id text, evidence jsonb, submitted_at timestamptz,
  provisional_credit_minor bigint, refunded_minor bigint, clawed_back_minor bigint,
  shortfall_minor bigint, written_off_minor bigint, outcome text, resolution_note text,
  resolved_at timestamptz, version int, last_occurred_at timestamptz, last_global_position bigint,
  last_event_hash text`;
const UPDATED_DISPUTE = `dispute_id uuid, expected_version int, ${CHANGING}`;
const OPENED_DISPUTE = `dispute_id uuid, account_id text, charge_event_id uuid, currency text,
  amount_minor bigint, reason_code text, description text, due_by timestamptz, opened_at timestamptz,
  ${CHANGING}`;

export const disputeStore: AggregateStore<'dispute'> = {
  lockAndLoad: (tx, ids) =>
    loadLockedRows(tx, ids, lockDisputes, {
      idOf: (row) => row.dispute_id,
      stateOf: disputeRowToState,
    }),

  async project(tx, { before, events }) {
    const lastEvent = new Map<string, ProjectedEvent<'dispute'>>();
    for (const event of events) lastEvent.set(event.target.id, event);
    const updated: object[] = [];
    const opened: object[] = [];
    for (const [disputeId, last] of lastEvent) {
      const state = last.stateAfter as OpenedDispute;
      const previous = before.dispute.get(disputeId);
      const row = {
        dispute_id: disputeId,
        status: state.status,
        assignee_id: state.assigneeId,
        evidence: encodeEvidence(state.evidence),
        submitted_at: state.submittedAt?.toISOString() ?? null,
        provisional_credit_minor: state.provisionalCreditMinor.toString(),
        refunded_minor: state.refundedMinor.toString(),
        clawed_back_minor: state.clawedBackMinor.toString(),
        shortfall_minor: state.shortfallMinor.toString(),
        written_off_minor: state.writtenOffMinor.toString(),
        outcome: state.outcome,
        resolution_note: state.resolutionNote,
        resolved_at: state.resolvedAt?.toISOString() ?? null,
        ...headColumns(last),
      };
      if (previous && previous.status !== 'none')
        updated.push({ ...row, expected_version: previous.version });
      else
        opened.push({
          ...row,
          account_id: state.accountId,
          charge_event_id: state.chargeEventId,
          currency: state.currency,
          amount_minor: state.amountMinor.toString(),
          reason_code: state.reasonCode,
          description: state.description,
          due_by: state.dueBy.toISOString(),
          opened_at: state.openedAt.toISOString(),
        });
    }
    const counts = await writeRowSets(tx, 'write_dispute_projections', [
      {
        name: 'updated',
        rows: updated,
        sql: (rows) => `UPDATE disputes AS d
            SET status = r.status, assignee_id = r.assignee_id, evidence = r.evidence,
                submitted_at = r.submitted_at, provisional_credit_minor = r.provisional_credit_minor,
                refunded_minor = r.refunded_minor, clawed_back_minor = r.clawed_back_minor,
                shortfall_minor = r.shortfall_minor, written_off_minor = r.written_off_minor,
                outcome = r.outcome, resolution_note = r.resolution_note, resolved_at = r.resolved_at,
                version = r.version, last_occurred_at = r.last_occurred_at,
                last_global_position = r.last_global_position, last_event_hash = r.last_event_hash,
                updated_at = now()
           FROM ${rows(UPDATED_DISPUTE)}
          WHERE d.dispute_id = r.dispute_id AND d.version = r.expected_version
         RETURNING 1`,
      },
      {
        name: 'opened',
        rows: opened,
        sql: (rows) => `INSERT INTO disputes (dispute_id, account_id, charge_event_id, currency,
                amount_minor, reason_code, description, status, assignee_id, due_by, evidence,
                submitted_at, provisional_credit_minor, refunded_minor, clawed_back_minor,
                shortfall_minor, written_off_minor, outcome, resolution_note, resolved_at, version,
                opened_at, last_occurred_at, last_global_position, last_event_hash, updated_at)
         SELECT r.dispute_id, r.account_id, r.charge_event_id, r.currency, r.amount_minor,
                r.reason_code, r.description, r.status, r.assignee_id, r.due_by, r.evidence,
                r.submitted_at, r.provisional_credit_minor, r.refunded_minor, r.clawed_back_minor,
                r.shortfall_minor, r.written_off_minor, r.outcome, r.resolution_note, r.resolved_at,
                r.version, r.opened_at, r.last_occurred_at, r.last_global_position,
                r.last_event_hash, now()
           FROM ${rows(OPENED_DISPUTE)}
         RETURNING 1`,
      },
    ]);
    if (counts.updated !== updated.length) {
      const [disputeId] = lastEvent.keys();
      throw new ConcurrencyError(
        `dispute-${disputeId}`,
        before.dispute.get(disputeId ?? '')?.version ?? 0,
      );
    }
  },
};
