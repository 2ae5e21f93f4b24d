// Where every use case hands its command to the pipeline: the idempotency key is checked and the
// request fingerprinted; a command the approval policy holds becomes an approval request instead
// (lib/server/approvals/hold-for-approval.ts); otherwise the command joins the next batch (group commit) or, with batching
// off, runs alone. Either way it goes through run-batch.ts, in one transaction, and readers are
// woken after the commit.

import { randomUUID } from 'node:crypto';
import type { LedgerCommand } from '../../ledger/commands';
import { holdForApprovalIfRequired } from '../approvals/hold-for-approval';
import { getPool } from '../db/pool';
import { getCommandBatcher } from './command-batcher';
import type { CommandContext } from './command-context';
import type { CommandJob } from './command-job';
import type { CommandResult } from './command-result';
import { assertIdempotencyKey, requestFingerprint } from './idempotency';
import { runAlone } from './run-commands';

/**
 * Runs `command`. `requestInput` is what the caller sent, before any ids were generated for it:
 * its fingerprint decides whether a repeated idempotency key is a retry or a different request.
 */
export async function executeCommand(options: {
  command: LedgerCommand;
  context: CommandContext;
  requestInput: unknown;
}): Promise<CommandResult> {
  const { command, context } = options;
  assertIdempotencyKey(context.idempotencyKey);
  const job: CommandJob = {
    command,
    context,
    claim: {
      scope: context.actor,
      key: context.idempotencyKey,
      requestHash: requestFingerprint(command.type, options.requestInput),
    },
    correlationId: context.correlationId ?? randomUUID(),
  };
  const earlier = await holdForApprovalIfRequired(job);
  if (earlier) return earlier;
  const batching = context.batching ?? process.env.CHRONICLE_COMMAND_BATCHING !== 'off';
  if (batching) return getCommandBatcher(context.db ?? getPool()).submit(job);
  return runAlone(job);
}
