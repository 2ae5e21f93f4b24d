import type { DisputeOutcome } from '../../ledger/dispute/dispute-rules';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';
import { findDisputeCase } from './find-dispute-case';

/**
 * Ends a case, and the money follows the outcome exactly once: `won` refunds the disputed amount
 * (less the provisional credit, which becomes final); `lost` and `withdrawn` take the provisional
 * credit back as far as the available funds cover it, the rest staying owed by the account.
 */
export async function resolveDispute(options: {
  disputeId: string;
  outcome: DisputeOutcome;
  note: string;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, outcome, note, context } = options;
  return executeCommand({
    command: {
      type: 'resolve_dispute',
      disputeId,
      ...(await findDisputeCase(disputeId, context.db)),
      outcome,
      note,
    },
    context,
    requestInput: { disputeId, outcome, note },
  });
}
