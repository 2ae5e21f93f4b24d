// The maker withdraws their own request before anyone decides it.

import { randomUUID } from 'node:crypto';
import type { Person } from '../../ledger/approval/approval-rules';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { assertIdempotencyKey, requestFingerprint } from '../pipeline/idempotency';
import { runAlone } from '../pipeline/run-commands';

export async function cancelRequest(options: {
  approvalId: string;
  by: Person;
  reason?: string | undefined;
  context: CommandContext;
}): Promise<CommandResult> {
  const { approvalId, by, context } = options;
  assertIdempotencyKey(context.idempotencyKey);
  const reason = options.reason ?? '';
  return runAlone({
    command: { type: 'cancel_request', approvalId, by, reason },
    context,
    claim: {
      scope: context.actor,
      key: context.idempotencyKey,
      requestHash: requestFingerprint('cancel_request', { approvalId, reason }),
    },
    correlationId: context.correlationId ?? randomUUID(),
  });
}
