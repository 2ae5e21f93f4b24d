import type { ReleaseHoldInput } from '../../schemas/ledger-inputs';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';
import { findHoldAccount } from './find-hold-account';

/** Releases a hold: what it still reserves becomes available again, nothing is posted. */
export async function releaseHold(options: {
  holdId: string;
  input: ReleaseHoldInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { holdId, input, context } = options;
  return executeCommand({
    command: {
      type: 'release_hold',
      holdId,
      accountId: await findHoldAccount(context.db ?? getPool(), holdId),
      reason: input.reason,
    },
    context,
    requestInput: { holdId, ...input },
  });
}
