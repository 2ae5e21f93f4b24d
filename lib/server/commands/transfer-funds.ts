import type { TransferInput } from '../../schemas/ledger-inputs';
import { uuidv7 } from '../ids';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

/**
 * Moves money between two accounts of the same currency. Both legs (transfer_initiated on the
 * source, transfer_completed on the destination) are written in one transaction.
 */
export async function transferFunds(options: {
  input: TransferInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { input, context } = options;
  return executeCommand({
    command: {
      type: 'transfer',
      transferId: uuidv7(),
      fromAccountId: input.fromAccountId,
      toAccountId: input.toAccountId,
      amount: input.amount,
      reference: input.reference ?? '',
    },
    context,
    requestInput: input,
  });
}
