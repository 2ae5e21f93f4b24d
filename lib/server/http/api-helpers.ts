import { AppError } from '../../errors';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';
import type { CommandResult } from '../commands/command-result';
import type { CommandContext } from '../commands/execute-command';
import type { ApiReply, ApiRequest } from './api-route';
import type { ApiOperation } from './api-contract';
import { accountEtag, toAccountResource, toEventResource } from './api-resources';

/** The `{id}` path parameter; an id that cannot exist is simply not found. */
export function accountIdParam(params: Readonly<Record<string, string>>): string {
  const id = params.id ?? '';
  if (!ACCOUNT_ID_PATTERN.test(id))
    throw new AppError('not_found', `No account has the id "${id.slice(0, 80)}".`);
  return id;
}

/** The command context an API request acts with. */
export function commandContext(input: ApiRequest<ApiOperation>): CommandContext {
  if (!input.caller) throw new AppError('unauthorized', 'An API key is required.');
  return {
    actor: input.caller.actor,
    idempotencyKey: input.idempotencyKey,
    requestId: input.requestId,
    ...(input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion }),
  };
}

/** Headers every command answer carries: replays are marked, accounts get an ETag. */
export function commandHeaders(
  result: CommandResult,
  extra: Record<string, string> = {},
): Record<string, string> {
  const account = result.accounts[result.accounts.length === 1 ? 0 : 0];
  return {
    ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    ...(account && result.accounts.length === 1 ? { ETag: accountEtag(account) } : {}),
    ...extra,
  };
}

/** `{ events, account }`: the answer to deposits, withdrawals and reversals. */
export function movementReply(result: CommandResult, status: number): ApiReply {
  const account = result.accounts[0];
  if (!account) throw new Error('a movement touches an account');
  return {
    status,
    body: { events: result.events.map(toEventResource), account: toAccountResource(account) },
    headers: commandHeaders(result),
  };
}
