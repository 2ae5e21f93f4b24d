// A checker approves a request: the held command runs once, in the same transaction as the
// approval, against the state of this moment. If its rules refuse it now, nothing is recorded,
// the checker gets that refusal, and the request stays pending (to be approved later, rejected,
// cancelled, or left to expire).

import { AppError } from '../../errors';
import { isAdministrativeKind, type Person } from '../../ledger/approval/approval-rules';
import type { LedgerCommand } from '../../ledger/commands';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { carryOutAdministrativeAction } from './carry-out-administrative-action';
import { standingOfUser } from './standing-of-user';
import { getApproval } from './read-approvals';
import { runApprovalCommand } from './run-approval-command';

export async function approveRequest(options: {
  approvalId: string;
  checker: Person;
  context: CommandContext;
}): Promise<CommandResult> {
  const { approvalId, checker, context } = options;
  const db = context.db ?? getPool();
  const request = await getApproval(approvalId, db);
  if (!request) throw new AppError('not_found', `Approval request ${approvalId} does not exist.`);
  const administrative = isAdministrativeKind(request.kind);
  const [maker, checkerStanding] = await Promise.all([
    standingOfUser(request.maker.userId, db),
    standingOfUser(checker.userId, db),
  ]);
  // A request runs as its maker's: one whose maker has since been disabled is rejected instead.
  if (maker && !maker.active)
    throw new AppError(
      'forbidden',
      `${request.maker.email} has been disabled since making this request; reject it instead.`,
    );
  return runApprovalCommand({
    command: {
      type: 'approve_request',
      approvalId,
      checker,
      checkerCreatedBy: checkerStanding?.createdBy ?? null,
      makerNow: maker?.person ?? null,
      execute: administrative ? null : (request.command as unknown as LedgerCommand),
    } as LedgerCommand,
    context: { ...context, db },
    requestInput: { approvalId },
    ...(administrative
      ? { alongside: (tx) => carryOutAdministrativeAction(tx, request, checker) }
      : {}),
  });
}
