import { AppError } from '../../errors';
import type { OpenDisputeInput } from '../../schemas/dispute-inputs';
import { getPool } from '../db/pool';
import { uuidv7 } from '../ids';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';
import { dueDaysPolicy } from './dispute-policy';

/**
 * Opens a case against a charge: the disputed amount is reserved on the charge (it can no longer
 * be reversed by hand) until the case is resolved, and the case is due after the policy's days
 * for its reason unless it names its own due date.
 */
export async function openDispute(options: {
  input: OpenDisputeInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { input, context } = options;
  return executeCommand({
    command: {
      type: 'open_dispute',
      disputeId: uuidv7(),
      accountId: await findChargeAccount(input.chargeEventId, context),
      chargeEventId: input.chargeEventId,
      amount: input.amount,
      reasonCode: input.reasonCode,
      description: input.description,
      dueBy: input.dueBy ?? null,
      dueDays: dueDaysPolicy()[input.reasonCode],
    },
    context,
    requestInput: input,
  });
}

/** The account of the charge: its event's stream. Not a charge (or no event) is refused here. */
async function findChargeAccount(eventId: string, context: CommandContext): Promise<string> {
  const db = context.db ?? getPool();
  const found = await db.query<{ account_id: string | null; exists: boolean }>(
    `SELECT (SELECT account_id FROM charges WHERE event_id = $1::uuid) AS account_id,
            EXISTS (SELECT 1 FROM events WHERE event_id = $1::uuid) AS exists`,
    [eventId],
  );
  const row = found.rows[0];
  if (row?.account_id) return row.account_id;
  if (row?.exists)
    throw new AppError(
      'not_reversible',
      `Event ${eventId} is not a charge. Only withdrawals and captured holds can be disputed.`,
      { fieldErrors: { chargeEventId: 'Only withdrawals and captured holds can be disputed.' } },
    );
  throw new AppError('not_found', `No event has the id "${eventId}".`, {
    fieldErrors: { chargeEventId: 'No event has this id.' },
  });
}
