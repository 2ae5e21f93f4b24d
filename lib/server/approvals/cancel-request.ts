// The maker withdraws their own request before anyone decides it.

import type { Person } from '../../ledger/approval/approval-rules';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { runApprovalCommand } from './run-approval-command';

export function cancelRequest(options: {
  approvalId: string;
  by: Person;
  reason?: string | undefined;
  context: CommandContext;
}): Promise<CommandResult> {
  const { approvalId, by, context } = options;
  const reason = options.reason ?? '';
  return runApprovalCommand({
    command: { type: 'cancel_request', approvalId, by, reason },
    context,
    requestInput: { approvalId, reason },
  });
}
