import type { ProvisionalCreditInput } from '../../schemas/dispute-inputs';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';
import { findDisputeCase } from './find-dispute-case';

/** Credits the customer now, before the case is resolved; final if won, taken back if not. */
export async function giveProvisionalCredit(options: {
  disputeId: string;
  input: ProvisionalCreditInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, input, context } = options;
  return executeCommand({
    command: {
      type: 'give_provisional_credit',
      disputeId,
      ...(await findDisputeCase(disputeId, context.db)),
      amount: input.amount,
    },
    context,
    requestInput: { disputeId, ...input },
  });
}
