// The answer to a command the approval policy holds: not executed, but waiting as an approval
// request. Thrown by the pipeline's entry (execute-command.ts) so that every use case and edge
// gets it without a second return type; the edges answer 202 (HTTP) or "sent for approval"
// (forms). It is not an error, so it is not an AppError: nothing maps it to a failure.

import type { ApprovalRecord } from '../aggregates/approval/approval-record';

export class ApprovalRequested extends Error {
  readonly approval: ApprovalRecord;
  /** True when this is the stored answer to an earlier submission with the same key. */
  readonly replayed: boolean;

  constructor(approval: ApprovalRecord, replayed: boolean) {
    super(`Approval request ${approval.id} waits for a second person.`);
    this.name = 'ApprovalRequested';
    this.approval = approval;
    this.replayed = replayed;
  }
}

/** By shape rather than class identity: Next.js may load this module once per route bundle. */
export function isApprovalRequested(value: unknown): value is ApprovalRequested {
  return (
    value instanceof Error &&
    value.name === 'ApprovalRequested' &&
    typeof (value as { approval?: unknown }).approval === 'object'
  );
}
