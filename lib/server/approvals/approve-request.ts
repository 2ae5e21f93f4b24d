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
import { personOfUser } from './person-of-user';
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
  return runApprovalCommand({
    command: {
      type: 'approve_request',
      approvalId,
      checker,
      makerNow: await personOfUser(request.maker.userId, db),
      execute: administrative ? null : (request.command as unknown as LedgerCommand),
    } as LedgerCommand,
    context: { ...context, db },
    requestInput: { approvalId },
    ...(administrative
      ? { alongside: (tx) => carryOutAdministrativeAction(tx, request, checker) }
      : {}),
  });
}
