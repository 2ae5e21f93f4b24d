import { AppError } from '../../errors';
import { can } from '../../auth/permissions';
import type { AssignDisputeInput } from '../../schemas/dispute-inputs';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand, storedAnswer } from '../pipeline/execute-command';
import { USER_COLUMNS, toUserRecord, type UserRow } from '../users/user-record';

/** Gives a case to a support user or admin; a new case then needs their response. */
export async function assignDispute(options: {
  disputeId: string;
  input: AssignDisputeInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, input, context } = options;
  const db = context.db ?? getPool();
  const found = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1::uuid`, [
    input.assigneeId,
  ]);
  const row = found.rows[0];
  const user = row ? toUserRecord(row) : null;
  const requestInput = { disputeId, ...input };
  if (!user || user.disabledAt !== null || !can(user.role, 'disputes:work')) {
    // A retry of an assignment that was recorded gets its first answer (decision 004), even if
    // the assignee has been disabled or demoted since. It is answered from the key here, never
    // run: the pipeline does not check the assignee again.
    const earlier = await storedAnswer({ operation: 'assign_dispute', context, requestInput });
    if (earlier) return earlier;
    throw new AppError(
      'validation_error',
      'Cases can be assigned to active support users and admins only.',
      {
        fieldErrors: { assigneeId: 'Choose an active support user or admin.' },
      },
    );
  }
  return executeCommand({
    command: { type: 'assign_dispute', disputeId, assigneeId: user.id },
    context,
    requestInput,
  });
}
