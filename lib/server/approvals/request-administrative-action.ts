// Administrative actions the approval policy may hold: making someone an admin, and creating an
// admin API key. When the policy holds them they become approval requests (ApprovalRequested is
// thrown); otherwise the caller carries them out at once (the functions answer false).

import { approvalRequirement } from '../../ledger/approval/approval-policy';
import type { ApprovalKind, Person } from '../../ledger/approval/approval-rules';
import { getPool } from '../db/pool';
import { requestFingerprint } from '../pipeline/idempotency';
import { approvalPolicy } from './approval-policy-config';
import { requestApproval } from './hold-for-approval';
import type { z } from 'zod';
import type {
  createAdminApiKeyCommand,
  grantAdminRoleCommand,
} from './carry-out-administrative-action';

async function holdIfRequired(
  kind: ApprovalKind,
  command: Record<string, unknown> & { type: string },
  subject: string,
  request: { maker: Person; idempotencyKey: string; fingerprintInput: unknown },
): Promise<false> {
  const policy = approvalPolicy();
  const rule = approvalRequirement(policy, { kind, amountMinor: null, currency: '' });
  if (!rule) return false;
  const db = getPool();
  const now = (await db.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]
    ?.now as Date;
  return requestApproval({
    policy,
    rule,
    kind,
    command,
    subject,
    amountMinor: null,
    currency: '',
    preview: [],
    maker: request.maker,
    now,
    job: {
      context: {
        actor: request.maker.actor,
        person: request.maker,
        idempotencyKey: request.idempotencyKey,
      },
      claim: {
        scope: request.maker.actor,
        key: request.idempotencyKey,
        requestHash: requestFingerprint(kind, request.fingerprintInput),
      },
    },
    db,
  });
}

/** Holds "make this user an admin" for approval when the policy says so. */
export function holdAdminRoleGrant(
  command: z.input<typeof grantAdminRoleCommand>,
  request: { maker: Person; idempotencyKey: string },
): Promise<false> {
  return holdIfRequired('grant_admin_role', command, command.userId, {
    ...request,
    fingerprintInput: { userId: command.userId },
  });
}

/** Holds "create this admin API key" for approval when the policy says so. */
export function holdAdminApiKey(
  command: z.input<typeof createAdminApiKeyCommand>,
  request: { maker: Person; idempotencyKey: string },
): Promise<false> {
  return holdIfRequired('create_admin_api_key', command, command.ownerId, {
    ...request,
    fingerprintInput: {
      name: command.name,
      ownerId: command.ownerId,
      expiresAt: command.expiresAt,
    },
  });
}
