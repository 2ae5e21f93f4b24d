// The one path every ledger command takes: lock and load the accounts it touches, decide,
// append the events, update the projections and store the idempotency key — all in one
// transaction — then wake up readers. Under load, commands that arrive together share one
// transaction (command-batcher.ts); each is still decided on its own, in arrival order, against
// the state its predecessors left. On a concurrency conflict the whole thing is retried from fresh
// state (bounded, with jitter), so the rules are always checked against what is current.

import { randomUUID } from 'node:crypto';
import type { LedgerCommand } from '../../ledger/commands';
import { getPool, type Pool } from '../db/pool';
import type { Notifier } from '../notifications/notifier';
import { getCommandBatcher } from './command-batcher';
import type { CommandResult } from './command-result';
import { assertIdempotencyKey, requestFingerprint } from './idempotency';
import { executeInOwnTransaction, type CommandJob } from './run-command-alone';

export interface CommandContext {
  /** Who is acting: `user:<id>`, `api_key:<id>`, `system:<job>`. Also the idempotency scope. */
  readonly actor: string;
  readonly idempotencyKey: string;
  readonly correlationId?: string;
  readonly requestId?: string;
  /** When set (HTTP If-Match), the command's account must be at exactly this version. */
  readonly expectedVersion?: number;
  readonly db?: Pool;
  readonly notifier?: Notifier;
  /**
   * False runs the command in a transaction of its own instead of letting it share one with
   * commands that arrive at the same moment. Tests that race connections against each other use it.
   */
  readonly batching?: boolean;
}

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
  const batching = context.batching ?? process.env.CHRONICLE_COMMAND_BATCHING !== 'off';
  if (batching) return getCommandBatcher(context.db ?? getPool()).submit(job);
  return executeInOwnTransaction(job);
}
