// A checker rejects a request, with a reason: nothing of its command ever runs.

import type { Person } from '../../ledger/approval/approval-rules';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { standingOfUser } from './standing-of-user';
import { getApproval } from './read-approvals';
import { runApprovalCommand } from './run-approval-command';

export async function rejectRequest(options: {
  approvalId: string;
  checker: Person;
  reason: string;
  context: CommandContext;
}): Promise<CommandResult> {
  const { approvalId, checker, reason, context } = options;
  const db = context.db ?? getPool();
  const request = await getApproval(approvalId, db);
  const [maker, checkerStanding] = await Promise.all([
    request ? standingOfUser(request.maker.userId, db) : null,
    standingOfUser(checker.userId, db),
  ]);
  return runApprovalCommand({
    command: {
      type: 'reject_request',
      approvalId,
      checker,
      checkerCreatedBy: checkerStanding?.createdBy ?? null,
      makerNow: maker?.person ?? null,
      reason,
    },
    context: { ...context, db },
    requestInput: { approvalId, reason },
  });
}
