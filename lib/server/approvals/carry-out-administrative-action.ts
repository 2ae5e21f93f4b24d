// What an approved administrative request does, in the transaction that records its approval:
// the user becomes an admin, or the admin API key (made, and shown to its maker, when it was
// requested; stored only by its hash) starts to exist. Either commits with the approval or not
// at all; a rule that refuses it now (the owner is no longer an active admin) refuses the approval.

import { z } from 'zod';
import { AppError } from '../../errors';
import type { Person } from '../../ledger/approval/approval-rules';
import type { ApprovalRecord } from '../aggregates/approval/approval-record';
import { insertApiKeyIn } from '../api-keys/create-api-key';
import type { PoolClient } from '../db/pool';
import { changeRoleIn, lockUser } from '../users/update-user-access';

export const grantAdminRoleCommand = z.strictObject({
  type: z.literal('grant_admin_role'),
  userId: z.uuid(),
  email: z.string(),
});

export const createAdminApiKeyCommand = z.strictObject({
  type: z.literal('create_admin_api_key'),
  name: z.string().min(1).max(100),
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  prefix: z.string(),
  ownerId: z.uuid(),
  expiresAt: z.string().nullable(),
});

export async function carryOutAdministrativeAction(
  tx: PoolClient,
  request: ApprovalRecord,
  checker: Person,
): Promise<void> {
  const initiatedBy = request.maker.actor;
  switch (request.kind) {
    case 'grant_admin_role': {
      const command = grantAdminRoleCommand.parse(request.command);
      const user = await lockUser(tx, command.userId);
      if (user.disabledAt !== null)
        throw new AppError('validation_error', `${user.email} is disabled; enable them first.`);
      if (user.role === 'admin') return;
      await changeRoleIn(tx, {
        user,
        role: 'admin',
        actor: initiatedBy,
        approvedBy: checker.actor,
      });
      return;
    }
    case 'create_admin_api_key': {
      const command = createAdminApiKeyCommand.parse(request.command);
      await insertApiKeyIn(tx, {
        name: command.name,
        role: 'admin',
        keyHash: command.keyHash,
        prefix: command.prefix,
        ownerId: command.ownerId,
        expiresAt: command.expiresAt === null ? null : new Date(command.expiresAt),
        actor: initiatedBy,
        approvedBy: checker.actor,
      });
      return;
    }
    default:
      throw new Error(`${request.kind} is not an administrative action`);
  }
}
