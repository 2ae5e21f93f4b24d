import type { DepositInput } from '../../schemas/ledger-inputs';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

/** Credits an account with money arriving from outside the ledger. */
export async function depositFunds(options: {
  accountId: string;
  input: DepositInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { accountId, input, context } = options;
  return executeCommand({
    command: {
      type: 'deposit',
      accountId,
      amount: input.amount,
      source: input.source ?? '',
      reference: input.reference ?? '',
    },
    context,
    requestInput: { accountId, ...input },
  });
}
