// Records a backdated correction on an account (through an approval request whenever the policy
// holds corrections, which the default policy always does). The event it corrects, when named,
// must be one of this account's.

import { fieldError } from '../../errors';
import { accountStreamId } from '../../ledger/events';
import type { CorrectionInput } from '../../schemas/ledger-inputs';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';

export async function recordCorrection(options: {
  accountId: string;
  input: CorrectionInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { accountId, input, context } = options;
  if (input.correctsEventId) {
    const found = await (context.db ?? getPool()).query(
      'SELECT 1 FROM events WHERE event_id = $1::uuid AND stream_id = $2',
      [input.correctsEventId, accountStreamId(accountId)],
    );
    if (found.rowCount === 0)
      throw fieldError(
        'correctsEventId',
        `Account ${accountId} has no event ${input.correctsEventId}.`,
      );
  }
  return executeCommand({
    command: {
      type: 'record_correction',
      accountId,
      kind: input.kind,
      amount: input.amount,
      effectiveAt: input.effectiveAt.toISOString(),
      reason: input.reason,
      ...(input.correctsEventId ? { correctsEventId: input.correctsEventId } : {}),
    },
    // A correction's check reads the account's history under its lock: it runs in a
    // transaction of its own, never decided in a batch against history another command changes.
    context: { ...context, batching: false },
    requestInput: { accountId, ...input, effectiveAt: input.effectiveAt.toISOString() },
  });
}
