// The steps a case can take next, for the people allowed to take them: each button appears only
// when the role allows it and the case's status (the domain's transition table) does. The server
// checks both again.

import { can, type Role } from '@/lib/auth/permissions';
import { acceptsEvidence, canMove, isResolved } from '@/lib/ledger/dispute/dispute-rules';
import type { DisputeRecord } from '@/lib/server/aggregates/dispute/dispute-record';
import {
  AddNoteDialog,
  AssignDisputeDialog,
  ProvisionalCreditDialog,
  ResolveDisputeDialog,
  SubmitEvidenceDialog,
  UploadEvidenceDialog,
  WithdrawDisputeDialog,
  WriteOffDialog,
} from './dispute-dialogs';

export interface CaseSteps {
  readonly assign: boolean;
  readonly addEvidence: boolean;
  readonly giveCredit: boolean;
  readonly submit: boolean;
  readonly resolve: boolean;
  readonly withdraw: boolean;
  readonly writeOff: boolean;
}

/** What this role may do to this case now. */
export function caseSteps(dispute: DisputeRecord, role: Role): CaseSteps {
  const works = can(role, 'disputes:work');
  const unresolved = !isResolved(dispute.status);
  const staged = dispute.evidence.some((item) => !item.submitted);
  return {
    assign: works && unresolved,
    addEvidence: works && acceptsEvidence(dispute.status),
    giveCredit: works && unresolved && dispute.provisionalCreditMinor === 0n,
    submit: works && staged && canMove(dispute.status, 'under_review'),
    resolve: works && canMove(dispute.status, 'won') && canMove(dispute.status, 'lost'),
    withdraw: works && canMove(dispute.status, 'withdrawn'),
    writeOff: can(role, 'disputes:write-off') && dispute.outstandingMinor > 0n,
  };
}

export function CaseActions({
  dispute,
  steps,
  assignees,
  writeOffNotice,
}: {
  dispute: DisputeRecord;
  steps: CaseSteps;
  assignees: ReadonlyArray<{ id: string; label: string }>;
  writeOffNotice?: string | undefined;
}) {
  if (!Object.values(steps).some(Boolean)) return null;
  const staged = dispute.evidence.filter((item) => !item.submitted).length;
  return (
    <div className="flex flex-wrap gap-2" data-testid="case-actions">
      {steps.assign ? (
        <AssignDisputeDialog
          disputeId={dispute.id}
          assignees={assignees}
          currentAssigneeId={dispute.assigneeId}
        />
      ) : null}
      {steps.addEvidence ? (
        <>
          <AddNoteDialog disputeId={dispute.id} />
          <UploadEvidenceDialog disputeId={dispute.id} />
        </>
      ) : null}
      {steps.giveCredit ? (
        <ProvisionalCreditDialog
          disputeId={dispute.id}
          currency={dispute.currency}
          amountMinor={dispute.amountMinor.toString()}
        />
      ) : null}
      {steps.submit ? <SubmitEvidenceDialog disputeId={dispute.id} stagedCount={staged} /> : null}
      {steps.resolve ? (
        <ResolveDisputeDialog
          disputeId={dispute.id}
          currency={dispute.currency}
          amountMinor={dispute.amountMinor.toString()}
          provisionalCreditMinor={dispute.provisionalCreditMinor.toString()}
        />
      ) : null}
      {steps.withdraw ? <WithdrawDisputeDialog disputeId={dispute.id} /> : null}
      {steps.writeOff ? (
        <WriteOffDialog
          disputeId={dispute.id}
          currency={dispute.currency}
          outstandingMinor={dispute.outstandingMinor.toString()}
          approvalNotice={writeOffNotice}
        />
      ) : null}
    </div>
  );
}
