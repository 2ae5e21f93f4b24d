// How approve, reject and cancel each reach the pipeline: alone (a decision is never batched),
// under the caller's idempotency key, fingerprinted by what the caller asked.

import { randomUUID } from 'node:crypto';
import type { LedgerCommand } from '../../ledger/commands';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandJob } from '../pipeline/command-job';
import type { CommandResult } from '../pipeline/command-result';
import { assertIdempotencyKey, requestFingerprint } from '../pipeline/idempotency';
import { runAlone } from '../pipeline/run-commands';

export function runApprovalCommand(options: {
  command: LedgerCommand;
  context: CommandContext;
  /** What the caller sent, before anything was looked up for it. */
  requestInput: unknown;
  alongside?: CommandJob['alongside'];
}): Promise<CommandResult> {
  const { command, context } = options;
  assertIdempotencyKey(context.idempotencyKey);
  return runAlone({
    command,
    context,
    claim: {
      scope: context.actor,
      key: context.idempotencyKey,
      requestHash: requestFingerprint(command.type, options.requestInput),
    },
    correlationId: context.correlationId ?? randomUUID(),
    ...(options.alongside ? { alongside: options.alongside } : {}),
  });
}
