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
import {
  decodeCommandResult,
  type CommandResult,
  type EncodedCommandResult,
} from './command-result';
import {
  assertIdempotencyKey,
  findStoredRequest,
  requestFingerprint,
  storedResultFor,
} from './idempotency';
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

/**
 * The stored answer to an earlier request under `context`'s key, or null. For use cases whose own
 * checks before the pipeline (the case's rules on the case as it stands, the assignee's role) would
 * refuse a retry after things changed: a retry of a recorded request gets its first answer
 * (decision 004). A key used for another request is refused with `idempotency_key_reused`.
 */
export async function storedAnswer(options: {
  operation: LedgerCommand['type'];
  context: CommandContext;
  requestInput: unknown;
}): Promise<CommandResult | null> {
  const { context } = options;
  const claim = {
    scope: context.actor,
    key: context.idempotencyKey,
    requestHash: requestFingerprint(options.operation, options.requestInput),
  };
  const stored = await findStoredRequest(context.db ?? getPool(), claim);
  if (!stored) return null;
  return {
    ...decodeCommandResult(storedResultFor(claim, stored) as EncodedCommandResult),
    replayed: true,
  };
}
