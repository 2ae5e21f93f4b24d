import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';

/** Submits every staged note and file: the submitted set is fixed, and the case is under review. */
export async function submitDisputeEvidence(options: {
  disputeId: string;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, context } = options;
  return executeCommand({
    command: { type: 'submit_dispute_evidence', disputeId },
    context,
    requestInput: { disputeId },
  });
}
