// The approval request's commands. A maker's command that the policy holds becomes a request;
// a checker approves it — and the held command is decided right then, against the state of that
// moment, in the same decision as `approval_granted` — or rejects it; the maker may cancel it.
// The rules that make it four eyes live here: the checker is never the maker (not through an API
// key, not under a second user with the same mailbox) and holds a role the request names.

import { AppError, fieldError } from '../../errors';
import { refOf, type AggregateRef } from '../aggregate';
import type { CommandHandler, Decision, Requirements } from '../command-handler';
import { requireText } from '../field-rules';
import type { LedgerState } from '../ledger-state';
import { REASON_MAX_LENGTH, UUID_PATTERN } from '../limits';
import { isSamePerson, type Person } from './approval-rules';
import { statusAt, type ApprovalRequest, type HeldRequest } from './approval-state';

export interface RequestApprovalCommand extends HeldRequest {
  readonly type: 'request_approval';
  readonly approvalId: string;
}

/**
 * `execute` is the held command, given again by the caller (requirements are declared before any
 * state is read); the decider checks it is exactly the one the request holds. Null for the
 * administrative kinds, which the server carries out in the same transaction.
 */
/** Who decides, and what the user directory says now about the checker and the maker. */
interface Decision4Eyes {
  readonly approvalId: string;
  readonly checker: Person;
  /** Who created the checker's account: an admin may not approve through a user they made. */
  readonly checkerCreatedBy: string | null;
  /** The maker as the user directory has them now (their email may have changed since). */
  readonly makerNow: Person | null;
}

export interface ApproveRequestCommand<C = unknown> extends Decision4Eyes {
  readonly type: 'approve_request';
  readonly execute: C | null;
}

export interface RejectRequestCommand extends Decision4Eyes {
  readonly type: 'reject_request';
  readonly reason: string;
}

export interface CancelRequestCommand {
  readonly type: 'cancel_request';
  readonly approvalId: string;
  readonly by: Person;
  readonly reason: string;
}

export type ApprovalCommand<C = unknown> =
  RequestApprovalCommand | ApproveRequestCommand<C> | RejectRequestCommand | CancelRequestCommand;

const approval = (approvalId: string): AggregateRef => refOf('approval', approvalId);

/** How the approval handlers reach the held command's own rules (lib/ledger/commands.ts). */
export interface HeldCommandRules<C> {
  requirementsOf(command: C): Requirements;
  decide(command: C, state: LedgerState, now: Date): Decision[];
}

export function approvalCommandHandlers<C>(held: HeldCommandRules<C>): {
  readonly [T in ApprovalCommand['type']]: CommandHandler<Extract<ApprovalCommand<C>, { type: T }>>;
} {
  const onRequest = <X extends { approvalId: string }>(
    decide: (command: X, state: LedgerState, now: Date) => Decision[],
  ): CommandHandler<X> => ({
    requirements: (command) => ({ aggregates: [approval(command.approvalId)] }),
    decide,
    expectedVersionOf: (command) => approval(command.approvalId),
  });
  return {
    request_approval: onRequest(requestApproval),
    approve_request: {
      requirements: (command) => {
        const inner = command.execute ? held.requirementsOf(command.execute) : { aggregates: [] };
        return { ...inner, aggregates: [approval(command.approvalId), ...inner.aggregates] };
      },
      decide: (command, state, now) => approveRequest(command, state, now, held),
      expectedVersionOf: (command) => approval(command.approvalId),
    },
    reject_request: onRequest(rejectRequest),
    cancel_request: onRequest(cancelRequest),
  };
}

function requestApproval(
  command: RequestApprovalCommand,
  state: LedgerState,
  now: Date,
): Decision[] {
  if (!UUID_PATTERN.test(command.approvalId))
    throw fieldError('approvalId', 'An approval request id is a UUID.');
  if (
    state.approval.get(command.approvalId)?.status !== undefined &&
    state.approval.get(command.approvalId)?.status !== 'none'
  )
    throw fieldError('approvalId', `Approval request ${command.approvalId} already exists.`);
  if (command.expiresAt.getTime() <= now.getTime())
    throw fieldError('expiresAt', 'An approval request must expire in the future.');
  if (command.approverRoles.length === 0)
    throw new AppError('validation_error', 'The policy names no role that may approve this.');
  return [
    {
      target: approval(command.approvalId),
      event: {
        type: 'approval_requested',
        schemaVersion: 1,
        data: {
          approvalId: command.approvalId,
          kind: command.kind,
          command: { ...command.command },
          fingerprint: command.fingerprint,
          subject: command.subject,
          amountMinor: command.amountMinor === null ? '' : command.amountMinor.toString(),
          currency: command.currency,
          summary: command.summary,
          preview: [...command.preview],
          maker: command.maker,
          approverRoles: [...command.approverRoles],
          expiresAt: command.expiresAt,
        },
      },
    },
  ];
}

/** The request, still pending at `now`; otherwise approval_not_pending saying what it is. */
export function requirePending(state: LedgerState, approvalId: string, now: Date): ApprovalRequest {
  const found = state.approval.get(approvalId);
  if (!found || found.status === 'none')
    throw new AppError('not_found', `Approval request ${approvalId} does not exist.`);
  const status = statusAt(found, now);
  if (status !== 'pending')
    throw new AppError(
      'approval_not_pending',
      `Approval request ${approvalId} is ${status}; only a pending request can be decided or cancelled.`,
    );
  return found;
}

/**
 * The four-eyes rule: someone other than the maker — not the same user, not a user sharing the
 * maker's mailbox, not a user the maker created — with a role the request names.
 */
function requireChecker(request: ApprovalRequest, decision: Decision4Eyes): void {
  const { checker, makerNow, checkerCreatedBy } = decision;
  const makerActors = [request.maker.actor, `user:${request.maker.userId}`];
  if (
    isSamePerson(request.maker, checker) ||
    (makerNow && isSamePerson(makerNow, checker)) ||
    (checkerCreatedBy !== null && makerActors.includes(checkerCreatedBy))
  )
    throw new AppError(
      'self_approval_forbidden',
      'You requested this yourself, or your account was created by whoever did; a different person must decide it (not through your own API key or a second account).',
    );
  if (!request.approverRoles.includes(checker.role))
    throw new AppError(
      'forbidden',
      `Only ${request.approverRoles.join(' or ')} users may decide this request.`,
    );
}

function approveRequest<C>(
  command: ApproveRequestCommand<C>,
  state: LedgerState,
  now: Date,
  held: HeldCommandRules<C>,
): Decision[] {
  const request = requirePending(state, command.approvalId, now);
  requireChecker(request, command);
  const granted: Decision = {
    target: approval(command.approvalId),
    event: { type: 'approval_granted', schemaVersion: 1, data: { checker: command.checker } },
  };
  if (command.execute === null) return [granted];
  if (canonicalJson(command.execute) !== canonicalJson(request.command))
    throw new AppError(
      'validation_error',
      `Approval request ${command.approvalId} holds a different command than the one given to run.`,
    );
  // The held command is decided now, against the state of this moment: if a rule refuses it
  // (the funds are gone, the account was frozen meanwhile), nothing is recorded and the request
  // stays pending, to be approved later, rejected or cancelled.
  const decided = held.decide(command.execute, state, now).map((decision): Decision => ({
    ...decision,
    onBehalfOf: {
      initiatedBy: request.maker.actor,
      approvedBy: command.checker.actor,
      approvalId: request.approvalId,
    },
  }));
  return [granted, ...decided];
}

function rejectRequest(command: RejectRequestCommand, state: LedgerState, now: Date): Decision[] {
  const request = requirePending(state, command.approvalId, now);
  requireChecker(request, command);
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  return [
    {
      target: approval(command.approvalId),
      event: {
        type: 'approval_rejected',
        schemaVersion: 1,
        data: { checker: command.checker, reason },
      },
    },
  ];
}

function cancelRequest(command: CancelRequestCommand, state: LedgerState, now: Date): Decision[] {
  const request = requirePending(state, command.approvalId, now);
  if (!isSamePerson(request.maker, command.by))
    throw new AppError('forbidden', 'Only the person who made a request may cancel it.');
  const reason =
    command.reason.trim() === ''
      ? 'Cancelled by the maker.'
      : requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  return [
    {
      target: approval(command.approvalId),
      event: { type: 'approval_cancelled', schemaVersion: 1, data: { reason } },
    },
  ];
}

/** JSON with keys sorted at every level and absent fields dropped: one text per command. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Date))
      return Object.fromEntries(
        Object.entries(item as Record<string, unknown>)
          .filter(([, field]) => field !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    return item;
  });
}
