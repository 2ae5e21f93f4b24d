import type { FreezeInput } from '../../schemas/ledger-inputs';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

/** Lifts a freeze, with the reason recorded in the account's history. */
export async function unfreezeAccount(options: {
  accountId: string;
  input: FreezeInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { accountId, input, context } = options;
  return executeCommand({
    command: { type: 'unfreeze_account', accountId, reason: input.reason },
    context,
    requestInput: { accountId, ...input },
  });
}
