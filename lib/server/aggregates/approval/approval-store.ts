// The approval request's row: `approval_requests`. Loaded under lock for the deciders, written in
// the same transaction as the events (and, on approval, as the held command's own rows).

import type { ApprovalRequest } from '../../../ledger/approval/approval-state';
import { writeRowSets } from '../../db/json-rows';
import { namedStatement } from '../../db/pool';
import { ConcurrencyError } from '../../event-store/event-store-errors';
import type { AggregateStore, ProjectedEvent } from '../../pipeline/aggregate-store';
import { headColumns, loadLockedRows } from '../load-locked-rows';
import { APPROVAL_COLUMNS, approvalRowToState, type ApprovalRow } from './approval-record';

const lockApprovals = namedStatement<ApprovalRow>(
  'lock_approval_requests',
  `SELECT ${APPROVAL_COLUMNS} FROM approval_requests a
    WHERE a.approval_id = ANY($1::uuid[]) ORDER BY a.approval_id FOR UPDATE`,
);

const CHANGING = `status text, decided_by jsonb, decided_at timestamptz, reason text, version int,
  last_occurred_at timestamptz, last_global_position bigint, last_event_hash text`;
const UPDATED = `approval_id uuid, expected_version int, ${CHANGING}`;
const REQUESTED = `approval_id uuid, kind text, command jsonb, fingerprint text, subject text,
  amount_minor bigint, currency text, summary text, preview jsonb, maker jsonb, maker_user_id text,
  approver_roles jsonb, requested_at timestamptz, expires_at timestamptz, ${CHANGING}`;

export const approvalStore: AggregateStore<'approval'> = {
  lockAndLoad: (tx, ids) =>
    loadLockedRows(tx, ids, lockApprovals, {
      idOf: (row) => row.approval_id,
      stateOf: approvalRowToState,
    }),

  async project(tx, { before, events }) {
    const lastEvent = new Map<string, ProjectedEvent<'approval'>>();
    for (const event of events) lastEvent.set(event.target.id, event);
    const updated: object[] = [];
    const requested: object[] = [];
    for (const [approvalId, last] of lastEvent) {
      const state = last.stateAfter as ApprovalRequest;
      const previous = before.approval.get(approvalId);
      const row = {
        approval_id: approvalId,
        status: state.status,
        decided_by: state.decidedBy,
        decided_at: state.decidedAt?.toISOString() ?? null,
        reason: state.reason,
        ...headColumns(last),
      };
      if (previous && previous.status !== 'none')
        updated.push({ ...row, expected_version: previous.version });
      else
        requested.push({
          ...row,
          kind: state.kind,
          command: state.command,
          fingerprint: state.fingerprint,
          subject: state.subject,
          amount_minor: state.amountMinor?.toString() ?? null,
          currency: state.currency,
          summary: state.summary,
          preview: state.preview,
          maker: state.maker,
          maker_user_id: state.maker.userId,
          approver_roles: state.approverRoles,
          requested_at: state.requestedAt.toISOString(),
          expires_at: state.expiresAt.toISOString(),
        });
    }
    const counts = await writeRowSets(tx, 'write_approval_projections', [
      {
        name: 'updated',
        rows: updated,
        sql: (rows) => `UPDATE approval_requests AS a
            SET status = r.status, decided_by = r.decided_by, decided_at = r.decided_at,
                reason = r.reason, version = r.version, last_occurred_at = r.last_occurred_at,
                last_global_position = r.last_global_position, last_event_hash = r.last_event_hash,
                updated_at = now()
           FROM ${rows(UPDATED)}
          WHERE a.approval_id = r.approval_id AND a.version = r.expected_version
         RETURNING 1`,
      },
      {
        name: 'requested',
        rows: requested,
        sql: (rows) => `INSERT INTO approval_requests (approval_id, kind, command, fingerprint,
                subject, amount_minor, currency, summary, preview, maker, maker_user_id,
                approver_roles, status, requested_at, expires_at, decided_by, decided_at, reason,
                version, last_occurred_at, last_global_position, last_event_hash, updated_at)
         SELECT r.approval_id, r.kind, r.command, r.fingerprint, r.subject, r.amount_minor,
                r.currency, r.summary, r.preview, r.maker, r.maker_user_id, r.approver_roles,
                r.status, r.requested_at, r.expires_at, r.decided_by, r.decided_at, r.reason,
                r.version, r.last_occurred_at, r.last_global_position, r.last_event_hash, now()
           FROM ${rows(REQUESTED)}
         RETURNING 1`,
      },
    ]);
    if (counts.updated !== updated.length) {
      const [approvalId] = lastEvent.keys();
      throw new ConcurrencyError(
        `approval-${approvalId}`,
        before.approval.get(approvalId ?? '')?.version ?? 0,
      );
    }
  },
};
