import type { WriteOffInput } from '../../schemas/dispute-inputs';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';
import { findDisputeCase } from './find-dispute-case';

/** Writes off what a lost case left the account owing (admins only), with a reason. */
export async function writeOffShortfall(options: {
  disputeId: string;
  input: WriteOffInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, input, context } = options;
  return executeCommand({
    command: {
      type: 'write_off_shortfall',
      disputeId,
      ...(await findDisputeCase(disputeId, context.db)),
      reason: input.reason,
    },
    context,
    requestInput: { disputeId, ...input },
  });
}
