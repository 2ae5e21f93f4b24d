// The state of one approval request as a fold over its stream: requested by a maker, then
// approved or rejected by a checker, or cancelled by the maker. Expiry is computed from the
// instant (statusAt), never recorded by a job.

import type { Role } from '../../auth/permissions';
import { LedgerInvariantError, type SequencedEvent } from '../aggregate';
import type { PreviewLine } from './approval-events';
import type { ApprovalKind, ApprovalStatus, Person, StoredApprovalStatus } from './approval-rules';

export interface NoApproval {
  readonly status: 'none';
  readonly version: 0;
}

/** What a maker's request holds: the exact command, what it is about, who asked, who may decide. */
export interface HeldRequest {
  readonly kind: ApprovalKind;
  readonly command: Readonly<Record<string, unknown>>;
  /** The request fingerprint of the maker's submission (its idempotency check). */
  readonly fingerprint: string;
  /** What the command is about, for lists: an account id, a user id. */
  readonly subject: string;
  /** The amount that made it need approval, in minor units of `currency` (null: none). */
  readonly amountMinor: bigint | null;
  readonly currency: string;
  readonly summary: string;
  readonly preview: readonly PreviewLine[];
  readonly maker: Person;
  readonly approverRoles: readonly Role[];
  readonly expiresAt: Date;
}

export interface ApprovalRequest extends HeldRequest {
  readonly status: StoredApprovalStatus;
  readonly approvalId: string;
  readonly requestedAt: Date;
  /** The checker who approved or rejected it. */
  readonly decidedBy: Person | null;
  readonly decidedAt: Date | null;
  /** Why it was rejected or cancelled. */
  readonly reason: string;
  readonly version: number;
  readonly lastOccurredAt: Date;
}

export type ApprovalState = NoApproval | ApprovalRequest;

export const initialApprovalState: NoApproval = Object.freeze({ status: 'none', version: 0 });

/** The status a reader sees at `instant`: a pending request past its expiry has expired. */
export function statusAt(request: ApprovalRequest, instant: Date): ApprovalStatus {
  if (request.status === 'pending' && request.expiresAt.getTime() <= instant.getTime())
    return 'expired';
  return request.status;
}

export function evolveApproval(state: ApprovalState, applied: SequencedEvent): ApprovalState {
  const { event, occurredAt, version } = applied;
  if (version !== state.version + 1)
    throw new LedgerInvariantError(
      `approval ${applied.target.id}: version ${version} follows ${state.version}`,
    );
  if (event.type === 'approval_requested') {
    if (state.status !== 'none')
      throw new LedgerInvariantError(`approval ${applied.target.id} requested twice`);
    const data = event.data;
    return {
      status: 'pending',
      approvalId: data.approvalId,
      kind: data.kind,
      command: data.command,
      fingerprint: data.fingerprint,
      subject: data.subject,
      amountMinor: data.amountMinor === '' ? null : BigInt(data.amountMinor),
      currency: data.currency,
      summary: data.summary,
      preview: data.preview,
      maker: data.maker,
      approverRoles: data.approverRoles,
      requestedAt: occurredAt,
      expiresAt: data.expiresAt,
      decidedBy: null,
      decidedAt: null,
      reason: '',
      version,
      lastOccurredAt: occurredAt,
    };
  }
  if (state.status !== 'pending')
    throw new LedgerInvariantError(
      `approval ${applied.target.id}: ${event.type} on a request that is ${state.status}`,
    );
  const step = { version, lastOccurredAt: occurredAt };
  switch (event.type) {
    case 'approval_granted':
      return {
        ...state,
        ...step,
        status: 'approved',
        decidedBy: event.data.checker,
        decidedAt: occurredAt,
      };
    case 'approval_rejected':
      return {
        ...state,
        ...step,
        status: 'rejected',
        decidedBy: event.data.checker,
        decidedAt: occurredAt,
        reason: event.data.reason,
      };
    case 'approval_cancelled':
      return {
        ...state,
        ...step,
        status: 'cancelled',
        decidedAt: occurredAt,
        reason: event.data.reason,
      };
    default:
      throw new LedgerInvariantError(`approval ${applied.target.id}: unexpected ${event.type}`);
  }
}
