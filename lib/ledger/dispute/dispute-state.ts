// The state of one dispute case as a fold over its stream's events. A case is opened against a
// charge, owned by a support user, gathers evidence (notes and files, staged until submitted), may
// give the customer provisional credit, and ends won, lost or withdrawn.

import { LedgerInvariantError, type SequencedEvent } from '../aggregate';
import type { CurrencyCode } from '../currencies';
import {
  AWAITING_RESPONSE,
  canMove,
  isResolved,
  type DisputeOutcome,
  type DisputeReasonCode,
  type DisputeStatus,
} from './dispute-rules';

export interface NoDispute {
  readonly status: 'none';
  readonly version: 0;
}

/** A note or a file, immutable once added; part of the submitted set once submitted. */
export type DisputeEvidence =
  | {
      readonly kind: 'note';
      readonly evidenceId: string;
      readonly text: string;
      readonly addedAt: Date;
      readonly submitted: boolean;
    }
  | {
      readonly kind: 'file';
      readonly evidenceId: string;
      readonly fileName: string;
      readonly contentType: string;
      readonly sizeBytes: number;
      readonly sha256: string;
      readonly addedAt: Date;
      readonly submitted: boolean;
    };

export interface OpenedDispute {
  readonly status: DisputeStatus;
  readonly disputeId: string;
  readonly accountId: string;
  readonly chargeEventId: string;
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
  readonly reasonCode: DisputeReasonCode;
  readonly description: string;
  readonly dueBy: Date;
  readonly assigneeId: string | null;
  readonly evidence: readonly DisputeEvidence[];
  readonly submittedAt: Date | null;
  readonly provisionalCreditMinor: bigint;
  readonly refundedMinor: bigint;
  readonly clawedBackMinor: bigint;
  /** What the account was left owing when the case ended (collections are the account's story). */
  readonly shortfallMinor: bigint;
  readonly writtenOffMinor: bigint;
  readonly outcome: DisputeOutcome | null;
  readonly resolutionNote: string;
  readonly resolvedAt: Date | null;
  readonly version: number;
  readonly openedAt: Date;
  readonly lastOccurredAt: Date;
}

export type DisputeState = NoDispute | OpenedDispute;

export const initialDisputeState: NoDispute = Object.freeze({ status: 'none', version: 0 });

/**
 * Overdue: still owing its response (open or needing a response) when its due date has passed. A
 * case whose evidence was submitted met its deadline. Computed from the instant, not by a job.
 */
export function isOverdueAt(dispute: OpenedDispute, instant: Date): boolean {
  return AWAITING_RESPONSE.includes(dispute.status) && dispute.dueBy.getTime() <= instant.getTime();
}

export function evolveDispute(state: DisputeState, applied: SequencedEvent): DisputeState {
  const { event } = applied;
  const disputeId = applied.target.id;
  if (applied.version !== state.version + 1) {
    throw new LedgerInvariantError(
      `dispute ${disputeId}: event version ${applied.version} does not follow ${state.version}`,
    );
  }
  if (event.type === 'dispute_opened') {
    if (state.status !== 'none')
      throw new LedgerInvariantError(`dispute ${disputeId} is opened twice`);
    return {
      status: 'open',
      disputeId,
      accountId: event.data.accountId,
      chargeEventId: event.data.chargeEventId,
      currency: event.data.currency,
      amountMinor: event.data.amountMinor,
      reasonCode: event.data.reasonCode,
      description: event.data.description,
      dueBy: event.data.dueBy,
      assigneeId: null,
      evidence: [],
      submittedAt: null,
      provisionalCreditMinor: 0n,
      refundedMinor: 0n,
      clawedBackMinor: 0n,
      shortfallMinor: 0n,
      writtenOffMinor: 0n,
      outcome: null,
      resolutionNote: '',
      resolvedAt: null,
      version: applied.version,
      openedAt: applied.occurredAt,
      lastOccurredAt: applied.occurredAt,
    };
  }
  if (state.status === 'none')
    throw new LedgerInvariantError(`dispute ${disputeId}: ${event.type} before dispute_opened`);
  const base = { ...state, version: applied.version, lastOccurredAt: applied.occurredAt };
  const moveTo = (status: DisputeStatus, strict = false): DisputeStatus => {
    if (status === state.status && !strict) return status;
    if (!canMove(state.status, status))
      throw new LedgerInvariantError(
        `dispute ${disputeId}: ${event.type} moves ${state.status} to ${status}`,
      );
    return status;
  };
  const unresolved = () => {
    if (isResolved(state.status))
      throw new LedgerInvariantError(`dispute ${disputeId}: ${event.type} after it was resolved`);
  };
  switch (event.type) {
    case 'dispute_assigned':
      unresolved();
      return {
        ...base,
        assigneeId: event.data.assigneeId,
        status: state.status === 'open' ? moveTo('needs_response') : state.status,
      };
    case 'dispute_note_added':
      unresolved();
      return {
        ...base,
        evidence: [
          ...state.evidence,
          {
            kind: 'note',
            evidenceId: event.data.evidenceId,
            text: event.data.text,
            addedAt: applied.occurredAt,
            submitted: false,
          },
        ],
      };
    case 'dispute_evidence_added':
      unresolved();
      return {
        ...base,
        evidence: [
          ...state.evidence,
          {
            kind: 'file',
            evidenceId: event.data.evidenceId,
            fileName: event.data.fileName,
            contentType: event.data.contentType,
            sizeBytes: event.data.sizeBytes,
            sha256: event.data.sha256,
            addedAt: applied.occurredAt,
            submitted: false,
          },
        ],
      };
    case 'dispute_evidence_submitted': {
      const submitted = new Set(event.data.evidenceIds);
      return {
        ...base,
        status: moveTo('under_review', true),
        submittedAt: applied.occurredAt,
        evidence: state.evidence.map((item) =>
          submitted.has(item.evidenceId) ? { ...item, submitted: true } : item,
        ),
      };
    }
    case 'dispute_provisional_credit_given':
      unresolved();
      if (state.provisionalCreditMinor > 0n)
        throw new LedgerInvariantError(`dispute ${disputeId}: provisional credit given twice`);
      if (event.data.amountMinor > state.amountMinor)
        throw new LedgerInvariantError(`dispute ${disputeId}: credit beyond the disputed amount`);
      return { ...base, provisionalCreditMinor: event.data.amountMinor };
    case 'dispute_resolved': {
      const { refundedMinor, clawedBackMinor, outstandingMinor } = event.data;
      const balanced =
        event.data.outcome === 'won'
          ? refundedMinor === state.amountMinor - state.provisionalCreditMinor &&
            clawedBackMinor === 0n &&
            outstandingMinor === 0n
          : refundedMinor === 0n &&
            clawedBackMinor + outstandingMinor === state.provisionalCreditMinor;
      if (!balanced)
        throw new LedgerInvariantError(
          `dispute ${disputeId}: its ${event.data.outcome} outcome moves money that does not add up`,
        );
      return {
        ...base,
        status: moveTo(event.data.outcome, true),
        outcome: event.data.outcome,
        resolutionNote: event.data.note,
        refundedMinor: event.data.refundedMinor,
        clawedBackMinor: event.data.clawedBackMinor,
        shortfallMinor: event.data.outstandingMinor,
        resolvedAt: applied.occurredAt,
      };
    }
    case 'dispute_shortfall_written_off':
      if (!isResolved(state.status))
        throw new LedgerInvariantError(`dispute ${disputeId}: written off before it was resolved`);
      if (state.writtenOffMinor + event.data.amountMinor > state.shortfallMinor)
        throw new LedgerInvariantError(`dispute ${disputeId}: written off beyond its shortfall`);
      return { ...base, writtenOffMinor: state.writtenOffMinor + event.data.amountMinor };
    default:
      throw new LedgerInvariantError(`dispute ${disputeId}: ${event.type} is not a dispute event`);
  }
}
