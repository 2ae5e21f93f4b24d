import type { FreezeInput } from '../../schemas/ledger-inputs';
import type { CommandResult } from './command-result';
import { executeCommand, type CommandContext } from './execute-command';

/** Freezes an account: money can still arrive, but none can leave until it is unfrozen. */
export async function freezeAccount(options: {
  accountId: string;
  input: FreezeInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { accountId, input, context } = options;
  return executeCommand({
    command: { type: 'freeze_account', accountId, reason: input.reason },
    context,
    requestInput: { accountId, ...input },
  });
}
