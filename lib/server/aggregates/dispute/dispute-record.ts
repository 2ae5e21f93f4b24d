// A dispute case as the server reads it (DisputeRecord) and as it is stored (DisputeRow: the
// `disputes` projection). The domain's own shape is DisputeState (lib/ledger/dispute/).

import type { CurrencyCode } from '../../../ledger/currencies';
import type { RecordAnswers } from '../../pipeline/record-answers';
import type {
  DisputeOutcome,
  DisputeReasonCode,
  DisputeStatus,
} from '../../../ledger/dispute/dispute-rules';
import {
  isOverdueAt,
  type DisputeEvidence,
  type OpenedDispute,
} from '../../../ledger/dispute/dispute-state';

export interface DisputeRecord {
  readonly id: string;
  readonly accountId: string;
  readonly chargeEventId: string;
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
  readonly reasonCode: DisputeReasonCode;
  readonly description: string;
  readonly status: DisputeStatus;
  readonly assigneeId: string | null;
  readonly dueBy: Date;
  /** At the time of reading: unresolved past its due date. */
  readonly overdue: boolean;
  readonly provisionalCreditMinor: bigint;
  readonly refundedMinor: bigint;
  readonly clawedBackMinor: bigint;
  /** What the account still owes of this case's provisional credit. */
  readonly outstandingMinor: bigint;
  readonly writtenOffMinor: bigint;
  readonly outcome: DisputeOutcome | null;
  readonly resolutionNote: string;
  readonly resolvedAt: Date | null;
  readonly submittedAt: Date | null;
  readonly evidence: readonly DisputeEvidence[];
  readonly version: number;
  readonly openedAt: Date;
  readonly updatedAt: Date;
}

export function toDisputeRecord(
  state: OpenedDispute,
  context: { outstandingMinor: bigint; updatedAt: Date; instant: Date },
): DisputeRecord {
  return {
    id: state.disputeId,
    accountId: state.accountId,
    chargeEventId: state.chargeEventId,
    currency: state.currency,
    amountMinor: state.amountMinor,
    reasonCode: state.reasonCode,
    description: state.description,
    status: state.status,
    assigneeId: state.assigneeId,
    dueBy: state.dueBy,
    overdue: isOverdueAt(state, context.instant),
    provisionalCreditMinor: state.provisionalCreditMinor,
    refundedMinor: state.refundedMinor,
    clawedBackMinor: state.clawedBackMinor,
    outstandingMinor: context.outstandingMinor,
    writtenOffMinor: state.writtenOffMinor,
    outcome: state.outcome,
    resolutionNote: state.resolutionNote,
    resolvedAt: state.resolvedAt,
    submittedAt: state.submittedAt,
    evidence: state.evidence,
    version: state.version,
    openedAt: state.openedAt,
    updatedAt: context.updatedAt,
  };
}

/** Evidence as stored in `disputes.evidence`: instants as ISO strings. */
export type StoredEvidence = Omit<DisputeEvidence, 'addedAt'> & { addedAt: string };

export function encodeEvidence(evidence: readonly DisputeEvidence[]): StoredEvidence[] {
  return evidence.map((item) => ({ ...item, addedAt: item.addedAt.toISOString() }));
}

export function decodeEvidence(stored: readonly StoredEvidence[]): DisputeEvidence[] {
  return stored.map((item) => ({ ...item, addedAt: new Date(item.addedAt) }) as DisputeEvidence);
}

/** The columns of `disputes` that `disputeRowToState` reads, `d` being the table's alias. */
export const DISPUTE_COLUMNS = `d.dispute_id::text AS dispute_id, d.account_id, d.charge_event_id::text AS charge_event_id,
  d.currency, d.amount_minor::text AS amount_minor, d.reason_code, d.description, d.status, d.assignee_id,
  d.due_by, d.evidence, d.submitted_at, d.provisional_credit_minor::text AS provisional_credit_minor,
  d.refunded_minor::text AS refunded_minor, d.clawed_back_minor::text AS clawed_back_minor,
  d.shortfall_minor::text AS shortfall_minor, d.written_off_minor::text AS written_off_minor, d.outcome,
  d.resolution_note, d.resolved_at, d.version, d.opened_at, d.last_occurred_at, d.last_event_hash,
  d.updated_at`;

export interface DisputeRow {
  dispute_id: string;
  account_id: string;
  charge_event_id: string;
  currency: string;
  amount_minor: string;
  reason_code: DisputeReasonCode;
  description: string;
  status: DisputeStatus;
  assignee_id: string | null;
  due_by: Date;
  evidence: StoredEvidence[];
  submitted_at: Date | null;
  provisional_credit_minor: string;
  refunded_minor: string;
  clawed_back_minor: string;
  shortfall_minor: string;
  written_off_minor: string;
  outcome: DisputeOutcome | null;
  resolution_note: string;
  resolved_at: Date | null;
  version: number;
  opened_at: Date;
  last_occurred_at: Date;
  last_event_hash: string;
  updated_at: Date;
}

export function disputeRowToState(row: DisputeRow): OpenedDispute {
  return {
    status: row.status,
    disputeId: row.dispute_id,
    accountId: row.account_id,
    chargeEventId: row.charge_event_id,
    currency: row.currency as CurrencyCode,
    amountMinor: BigInt(row.amount_minor),
    reasonCode: row.reason_code,
    description: row.description,
    dueBy: row.due_by,
    assigneeId: row.assignee_id,
    evidence: decodeEvidence(row.evidence),
    submittedAt: row.submitted_at,
    provisionalCreditMinor: BigInt(row.provisional_credit_minor),
    refundedMinor: BigInt(row.refunded_minor),
    clawedBackMinor: BigInt(row.clawed_back_minor),
    shortfallMinor: BigInt(row.shortfall_minor),
    writtenOffMinor: BigInt(row.written_off_minor),
    outcome: row.outcome,
    resolutionNote: row.resolution_note,
    resolvedAt: row.resolved_at,
    version: row.version,
    openedAt: row.opened_at,
    lastOccurredAt: row.last_occurred_at,
  };
}

/** A case record as a command's stored answer keeps it (JSON: amounts as digit strings). */
type StoredDisputeRecord = Omit<
  DisputeRecord,
  | 'amountMinor'
  | 'provisionalCreditMinor'
  | 'refundedMinor'
  | 'clawedBackMinor'
  | 'outstandingMinor'
  | 'writtenOffMinor'
  | 'dueBy'
  | 'resolvedAt'
  | 'submittedAt'
  | 'openedAt'
  | 'updatedAt'
  | 'evidence'
> & {
  amountMinor: string;
  provisionalCreditMinor: string;
  refundedMinor: string;
  clawedBackMinor: string;
  outstandingMinor: string;
  writtenOffMinor: string;
  dueBy: string;
  resolvedAt: string | null;
  submittedAt: string | null;
  openedAt: string;
  updatedAt: string;
  evidence: StoredEvidence[];
};

const MINOR_FIELDS = [
  'amountMinor',
  'provisionalCreditMinor',
  'refundedMinor',
  'clawedBackMinor',
  'outstandingMinor',
  'writtenOffMinor',
] as const;

function encodeDispute(dispute: DisputeRecord): StoredDisputeRecord {
  return {
    ...dispute,
    ...(Object.fromEntries(
      MINOR_FIELDS.map((field) => [field, dispute[field].toString()]),
    ) as Record<(typeof MINOR_FIELDS)[number], string>),
    dueBy: dispute.dueBy.toISOString(),
    resolvedAt: dispute.resolvedAt?.toISOString() ?? null,
    submittedAt: dispute.submittedAt?.toISOString() ?? null,
    openedAt: dispute.openedAt.toISOString(),
    updatedAt: dispute.updatedAt.toISOString(),
    evidence: encodeEvidence(dispute.evidence),
  };
}

function decodeDispute(encoded: StoredDisputeRecord): DisputeRecord {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    ...encoded,
    ...(Object.fromEntries(MINOR_FIELDS.map((field) => [field, BigInt(encoded[field])])) as Record<
      (typeof MINOR_FIELDS)[number],
      bigint
    >),
    dueBy: new Date(encoded.dueBy),
    resolvedAt: date(encoded.resolvedAt),
    submittedAt: date(encoded.submittedAt),
    openedAt: new Date(encoded.openedAt),
    updatedAt: new Date(encoded.updatedAt),
    evidence: decodeEvidence(encoded.evidence),
  };
}

export const disputeRecordAnswers: RecordAnswers<DisputeRecord> = {
  of: (after, id, { updatedAt, at }) => {
    const state = after.dispute.get(id) as OpenedDispute;
    const account = after.account.get(state.accountId);
    // Only a resolved case can leave a shortfall, and every command that resolves a case or
    // settles its shortfall loads the account; the others leave it at zero.
    const outstandingMinor =
      account?.status === 'open' ? (account.shortfalls.get(id)?.outstandingMinor ?? 0n) : 0n;
    return toDisputeRecord(state, { outstandingMinor, updatedAt, instant: at });
  },
  encode: encodeDispute,
  decode: (stored) => decodeDispute(stored as StoredDisputeRecord),
};
