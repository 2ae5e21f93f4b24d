import type { FreezeInput } from '../../schemas/ledger-inputs';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

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
