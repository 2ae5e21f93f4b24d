import { AppError } from '../../errors';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import type { AccountRecord } from '../aggregates/account/account-record';
import { apiRoute, type ApiReply, type ApiRequest } from './api-route';
import type { ApiOperation } from './api-contract';
import {
  accountEtag,
  toAccountResource,
  toEventResource,
  toHoldResource,
  toDisputeResource,
  toApprovalResource,
} from './to-api-resources';
import type { Person } from '../../ledger/approval/approval-rules';

/** The command context an API request acts with. */
export function commandContext(input: ApiRequest<ApiOperation>): CommandContext {
  if (!input.caller) throw new AppError('unauthorized', 'An API key is required.');
  return {
    actor: input.caller.actor,
    ...(input.caller.person ? { person: input.caller.person } : {}),
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
  const [account, ...others] = result.accounts;
  return {
    ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    ...(account && others.length === 0 ? { ETag: accountEtag(account) } : {}),
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

/** `{ events, hold, account }`: the answer to placing, capturing and releasing a hold. */
export function holdReply(
  result: CommandResult,
  status: number,
  extraHeaders: Record<string, string> = {},
): ApiReply {
  const [hold] = result.holds;
  const [account] = result.accounts;
  if (!hold || !account) throw new Error('a hold command touches a hold and its account');
  return {
    status,
    body: {
      events: result.events.map(toEventResource),
      hold: toHoldResource(hold),
      account: toAccountResource(account),
    },
    headers: commandHeaders(result, extraHeaders),
  };
}

/** The account a one-account command touched, as the answer: openings, freezes, unfreezes. */
export function accountReply(
  result: CommandResult,
  status: number,
  extraHeaders: (account: AccountRecord) => Record<string, string> = () => ({}),
): ApiReply {
  const account = result.accounts[0];
  if (!account) throw new Error('the command touches an account');
  return {
    status,
    body: toAccountResource(account),
    headers: commandHeaders(result, extraHeaders(account)),
  };
}

/** The case after a step: the answer to every dispute command, with its version as ETag. */
export function disputeReply(
  result: CommandResult,
  status: number,
  extraHeaders: Record<string, string> = {},
): ApiReply {
  const [dispute] = result.disputes;
  if (!dispute) throw new Error('a dispute command touches its case');
  return {
    status,
    body: toDisputeResource(dispute),
    headers: {
      ...(result.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
      ETag: `"${dispute.version}"`,
      ...extraHeaders,
    },
  };
}

/**
 * The route of one step of a case (POST /api/v1/disputes/{disputeId}/<step>): runs `step` with the
 * case's id, the request and its command context, and answers with the case after it.
 */
export function caseStepRoute<Op extends ApiOperation>(
  operation: Op,
  step: (
    disputeId: string,
    request: ApiRequest<Op>,
    context: CommandContext,
  ) => Promise<CommandResult>,
) {
  return apiRoute(operation, async (request) =>
    disputeReply(await step(request.params.disputeId ?? '', request, commandContext(request)), 200),
  );
}

/**
 * A decision on an approval request (approve, reject, cancel), answered with the request after it
 * and every event recorded — on approval, the held command's own events too.
 */
export function approvalDecisionRoute<Op extends ApiOperation>(
  operation: Op,
  decide: (
    approvalId: string,
    request: ApiRequest<Op>,
    context: CommandContext,
    person: Person,
  ) => Promise<CommandResult>,
) {
  return apiRoute(operation, async (request) => {
    const context = commandContext(request);
    const person = context.person;
    if (!person)
      throw new AppError(
        'forbidden',
        'This API key has no owner: only a key owned by an admin may decide approval requests.',
      );
    const result = await decide(request.params.approvalId ?? '', request, context, person);
    const [approval] = result.approvals;
    if (!approval) throw new Error('an approval decision answered without its request');
    return {
      status: 200,
      body: { approval: toApprovalResource(approval), events: result.events.map(toEventResource) },
      headers: commandHeaders(result),
    };
  });
}
