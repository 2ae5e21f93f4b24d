import type { PlaceHoldInput } from '../../schemas/ledger-inputs';
import { uuidv7 } from '../ids';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';

/**
 * Places a hold on an account: the amount stays in the balance but is no longer available, until
 * the hold is captured, released or expires.
 */
export async function placeHold(options: {
  accountId: string;
  input: PlaceHoldInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { accountId, input, context } = options;
  return executeCommand({
    command: {
      type: 'place_hold',
      holdId: uuidv7(),
      accountId,
      amount: input.amount,
      reason: input.reason,
      reference: input.reference ?? '',
      expiresAt: input.expiresAt ?? null,
    },
    context,
    requestInput: { accountId, ...input },
  });
}
