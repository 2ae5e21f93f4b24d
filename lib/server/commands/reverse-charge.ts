import { AppError } from '../../errors';
import { accountIdOfStream } from '../../ledger/events';
import type { ReversalInput } from '../../schemas/ledger-inputs';
import { getPool } from '../db/pool';
import { findEventById } from '../event-store/read-stream';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { executeCommand } from '../pipeline/execute-command';

/**
 * Reverses all or part of a charge (a withdrawal or a captured hold, disputed). The account is the
 * one the charge was taken from; the amount defaults to whatever has not been reversed yet.
 */
export async function reverseCharge(options: {
  input: ReversalInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { input, context } = options;
  // Which account a charge belongs to never changes, so it can be looked up before the
  // transaction; the rules about what is left to reverse are checked inside it, under lock.
  const original = await findEventById(context.db ?? getPool(), input.originalEventId);
  if (!original) {
    throw new AppError('not_found', `No event has the id ${input.originalEventId}.`, {
      fieldErrors: { originalEventId: 'No event has this id.' },
    });
  }
  const accountId = accountIdOfStream(original.streamId);
  if (accountId === null) {
    throw new AppError(
      'not_reversible',
      `Event ${input.originalEventId} is not a charge; only withdrawals and captured holds can be reversed.`,
      {
        fieldErrors: { originalEventId: 'Only withdrawals and captured holds can be reversed.' },
      },
    );
  }
  return executeCommand({
    command: {
      type: 'reverse_charge',
      accountId,
      originalEventId: input.originalEventId,
      amount: input.amount,
      reason: input.reason,
    },
    context,
    requestInput: input,
  });
}
