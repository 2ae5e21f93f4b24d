import type { WithdrawalInput } from '../../schemas/ledger-inputs';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

/** Debits an account for money leaving the ledger (a card charge, a payout). */
export async function withdrawFunds(options: {
  accountId: string;
  input: WithdrawalInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { accountId, input, context } = options;
  return executeCommand({
    command: {
      type: 'withdraw',
      accountId,
      amount: input.amount,
      destination: input.destination ?? '',
      reference: input.reference ?? '',
    },
    context,
    requestInput: { accountId, ...input },
  });
}
