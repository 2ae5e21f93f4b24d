// A checker rejects a request, with a reason: nothing of its command ever runs.

import { randomUUID } from 'node:crypto';
import type { Person } from '../../ledger/approval/approval-rules';
import { getPool } from '../db/pool';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { assertIdempotencyKey, requestFingerprint } from '../pipeline/idempotency';
import { runAlone } from '../pipeline/run-commands';
import { personOfUser } from './person-of-user';
import { getApproval } from './read-approvals';

export async function rejectRequest(options: {
  approvalId: string;
  checker: Person;
  reason: string;
  context: CommandContext;
}): Promise<CommandResult> {
  const { approvalId, checker, reason, context } = options;
  assertIdempotencyKey(context.idempotencyKey);
  const db = context.db ?? getPool();
  const request = await getApproval(approvalId, db);
  return runAlone({
    command: {
      type: 'reject_request',
      approvalId,
      checker,
      makerNow: request ? await personOfUser(request.maker.userId, db) : null,
      reason,
    },
    context: { ...context, db },
    claim: {
      scope: context.actor,
      key: context.idempotencyKey,
      requestHash: requestFingerprint('reject_request', { approvalId, reason }),
    },
    correlationId: context.correlationId ?? randomUUID(),
  });
}
