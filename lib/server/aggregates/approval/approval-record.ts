// An approval request as the server reads it (ApprovalRecord) and as it is stored (ApprovalRow:
// the `approval_requests` projection). The domain's own shape is ApprovalRequest
// (lib/ledger/approval/).

import type { Role } from '../../../auth/permissions';
import type { PreviewLine } from '../../../ledger/approval/approval-events';
import type {
  ApprovalKind,
  ApprovalStatus,
  Person,
  StoredApprovalStatus,
} from '../../../ledger/approval/approval-rules';
import {
  statusAt,
  type ApprovalRequest,
  type HeldRequest,
} from '../../../ledger/approval/approval-state';
import type { RecordAnswers } from '../../pipeline/record-answers';

export interface ApprovalRecord extends Omit<HeldRequest, 'fingerprint'> {
  readonly id: string;
  /** At the time of reading: a pending request past its expiry reads `expired`. */
  readonly status: ApprovalStatus;
  readonly requestedAt: Date;
  readonly decidedBy: Person | null;
  readonly decidedAt: Date | null;
  readonly reason: string;
  readonly version: number;
  readonly updatedAt: Date;
}

export function toApprovalRecord(
  state: ApprovalRequest,
  context: { updatedAt: Date; instant: Date },
): ApprovalRecord {
  return {
    id: state.approvalId,
    kind: state.kind,
    status: statusAt(state, context.instant),
    command: state.command,
    subject: state.subject,
    amountMinor: state.amountMinor,
    currency: state.currency,
    summary: state.summary,
    preview: state.preview,
    maker: state.maker,
    approverRoles: state.approverRoles,
    requestedAt: state.requestedAt,
    expiresAt: state.expiresAt,
    decidedBy: state.decidedBy,
    decidedAt: state.decidedAt,
    reason: state.reason,
    version: state.version,
    updatedAt: context.updatedAt,
  };
}

/** The columns of `approval_requests` that `approvalRowToState` reads, `a` being its alias. */
export const APPROVAL_COLUMNS = `a.approval_id::text AS approval_id, a.kind, a.command, a.fingerprint,
  a.subject, a.amount_minor::text AS amount_minor, a.currency, a.summary, a.preview, a.maker,
  a.approver_roles, a.status, a.requested_at, a.expires_at, a.decided_by, a.decided_at, a.reason,
  a.version, a.last_occurred_at, a.last_event_hash, a.updated_at`;

export interface ApprovalRow {
  approval_id: string;
  kind: ApprovalKind;
  command: Record<string, unknown>;
  fingerprint: string;
  subject: string;
  amount_minor: string | null;
  currency: string;
  summary: string;
  preview: PreviewLine[];
  maker: Person;
  approver_roles: Role[];
  status: StoredApprovalStatus;
  requested_at: Date;
  expires_at: Date;
  decided_by: Person | null;
  decided_at: Date | null;
  reason: string;
  version: number;
  last_occurred_at: Date;
  last_event_hash: string;
  updated_at: Date;
}

export function approvalRowToState(row: ApprovalRow): ApprovalRequest {
  return {
    status: row.status,
    approvalId: row.approval_id,
    kind: row.kind,
    command: row.command,
    fingerprint: row.fingerprint,
    subject: row.subject,
    amountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor),
    currency: row.currency,
    summary: row.summary,
    preview: row.preview,
    maker: row.maker,
    approverRoles: row.approver_roles,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    version: row.version,
    lastOccurredAt: row.last_occurred_at,
  };
}

type StoredApprovalRecord = Omit<
  ApprovalRecord,
  'amountMinor' | 'requestedAt' | 'expiresAt' | 'decidedAt' | 'updatedAt'
> & {
  amountMinor: string | null;
  requestedAt: string;
  expiresAt: string;
  decidedAt: string | null;
  updatedAt: string;
};

export const approvalRecordAnswers: RecordAnswers<ApprovalRecord> = {
  of: (after, id, { updatedAt, at }) =>
    toApprovalRecord(after.approval.get(id) as ApprovalRequest, { updatedAt, instant: at }),
  encode: (record): StoredApprovalRecord => ({
    ...record,
    amountMinor: record.amountMinor?.toString() ?? null,
    requestedAt: record.requestedAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    decidedAt: record.decidedAt?.toISOString() ?? null,
    updatedAt: record.updatedAt.toISOString(),
  }),
  decode: (stored) => {
    const record = stored as StoredApprovalRecord;
    return {
      ...record,
      amountMinor: record.amountMinor === null ? null : BigInt(record.amountMinor),
      requestedAt: new Date(record.requestedAt),
      expiresAt: new Date(record.expiresAt),
      decidedAt: record.decidedAt === null ? null : new Date(record.decidedAt),
      updatedAt: new Date(record.updatedAt),
    };
  },
};
