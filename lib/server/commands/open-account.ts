import type { OpenAccountInput } from '../../schemas/ledger-inputs';
import { newAccountId } from '../ids';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

/** Opens an account, with an optional opening deposit; the id is generated when not given. */
export async function openAccount(options: {
  input: OpenAccountInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { input, context } = options;
  return executeCommand({
    command: {
      type: 'open_account',
      accountId: input.id ?? newAccountId(),
      ownerId: input.ownerId,
      currency: input.currency,
      initialBalance: input.initialBalance,
    },
    context,
    requestInput: input,
  });
}
