import type { CaptureHoldInput } from '../../schemas/ledger-inputs';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';
import { findHoldAccount } from './find-hold-account';

/**
 * Captures all or part of a hold: the amount leaves the account as a posted debit (a charge, which
 * may later be disputed); what remains of the hold stays reserved.
 */
export async function captureHold(options: {
  holdId: string;
  input: CaptureHoldInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { holdId, input, context } = options;
  return executeCommand({
    command: {
      type: 'capture_hold',
      holdId,
      accountId: await findHoldAccount(context.db ?? getPool(), holdId),
      amount: input.amount,
    },
    context,
    requestInput: { holdId, ...input },
  });
}
