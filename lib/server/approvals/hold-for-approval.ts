// The approval gate at the pipeline's entry. A command of a kind the policy may hold is first
// decided against the current state without recording anything; if what it would move crosses the
// policy's line, it becomes an approval request — recorded through the same pipeline, under the
// caller's idempotency key — instead of running. A command the rules refuse now is refused now,
// never queued, and never handed on unheld.

import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { AggregateKind } from '../../ledger/aggregate';
import {
  approvalRequirement,
  belowEveryThreshold,
  mayNeedApproval,
  type ApprovalPolicy,
  type ApprovalRule,
} from '../../ledger/approval/approval-policy';
import type { PreviewLine } from '../../ledger/approval/approval-events';
import type { ApprovalKind, Person } from '../../ledger/approval/approval-rules';
import { describeHeldCommand } from '../../ledger/approval/describe-held-command';
import { availableAt, type AccountState } from '../../ledger/account/account-state';
import { expectedVersionTargetOf, type LedgerCommand } from '../../ledger/commands';
import { streamIdOf } from '../../ledger/aggregate';
import { ConcurrencyError } from '../event-store/event-store-errors';
import { balanceDelta, isAccountEvent } from '../../ledger/events';
import { getPool, withTransaction, type Pool } from '../db/pool';
import { uuidv7 } from '../ids';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandJob } from '../pipeline/command-job';
import {
  decodeCommandResult,
  type CommandResult,
  type EncodedCommandResult,
} from '../pipeline/command-result';
import {
  findStoredRequest,
  storedResultFor,
  type IdempotencyClaim,
  type StoredRequest,
} from '../pipeline/idempotency';
import { previewCommand, type CommandPreview } from '../pipeline/run-batch';
import { runAlone } from '../pipeline/run-commands';
import { approvalPolicy } from './approval-policy-config';
import { ApprovalRequested } from './approval-requested';

/**
 * Runs the gate for `job`. Returns null when the command may run at once; a stored answer to an
 * earlier submission with the same key; or throws ApprovalRequested once it is held (or was, by
 * that earlier submission), or the rule's AppError when it would be refused now.
 */
export async function holdForApprovalIfRequired(job: CommandJob): Promise<CommandResult | null> {
  const policy = approvalPolicy();
  const { command, context } = job;
  if (!mayNeedApproval(policy, command.type)) return null;
  // Everyday amounts (the great majority) need no preview: nothing is read for them here.
  if (belowEveryThreshold(policy, command.type, (command as { amount?: unknown }).amount))
    return null;
  // The system's own jobs (expiring holds, imports) are not anybody's four eyes.
  if (!context.person) {
    if (context.actor.startsWith('system:')) return null;
    throw new AppError(
      'forbidden',
      'Only a known person may run a command the approval policy covers.',
    );
  }
  const db = context.db ?? getPool();
  if (job.claim) {
    const stored = await findStoredRequest(db, job.claim);
    if (stored) return answerStored(job.claim, stored);
  }
  let preview: CommandPreview;
  try {
    preview = await withTransaction(db, (tx) => previewCommand(tx, command));
  } catch (error) {
    // Refused as things stand. It is never handed on unheld (a later state could let it through
    // without anyone approving it): the answer is the refusal — or, when an earlier submission with
    // the same key committed meanwhile, that submission's answer.
    const stored = job.claim ? await findStoredRequest(db, job.claim) : null;
    if (stored && job.claim) return answerStored(job.claim, stored);
    throw error;
  }
  // If-Match names the account as the maker saw it: checked now, when the request is made.
  const target = expectedVersionTargetOf(command);
  if (context.expectedVersion !== undefined && target) {
    const current = preview.before[target.kind].get(target.id)?.version ?? 0;
    if (current !== context.expectedVersion)
      throw new ConcurrencyError(streamIdOf(target), context.expectedVersion, current);
  }
  const { amountMinor, currency } = amountMoved(preview);
  const rule = approvalRequirement(policy, { kind: command.type, amountMinor, currency });
  if (!rule) return null;
  await requestApproval({
    policy,
    rule,
    kind: command.type as ApprovalKind,
    command: command as unknown as Record<string, unknown> & { type: string },
    subject: subjectOf(command),
    amountMinor,
    currency,
    preview: previewLines(preview),
    maker: context.person,
    now: preview.now,
    job,
    db,
  });
  return null;
}

/**
 * Records an approval request for `command` (a ledger command or an administrative one) and
 * throws ApprovalRequested with it.
 */
export async function requestApproval(options: {
  policy: ApprovalPolicy;
  rule: ApprovalRule;
  kind: ApprovalKind;
  command: Record<string, unknown> & { type: string };
  subject: string;
  amountMinor: bigint | null;
  currency: string;
  preview: readonly PreviewLine[];
  maker: Person;
  now: Date;
  job: Pick<CommandJob, 'claim' | 'context'>;
  db: Pool;
}): Promise<never> {
  const { job } = options;
  // If-Match was the held command's (checked by the caller); the new request has no version yet.
  const { expectedVersion: _checked, ...rest } = job.context;
  const context: CommandContext = { ...rest, db: options.db };
  const result = await runAlone({
    command: {
      type: 'request_approval',
      approvalId: uuidv7(options.now.getTime()),
      kind: options.kind,
      command: options.command,
      fingerprint: job.claim?.requestHash ?? '',
      subject: options.subject,
      amountMinor: options.amountMinor,
      currency: options.currency,
      summary: describeHeldCommand(options.command, {
        minor: options.amountMinor,
        currency: options.currency,
      }),
      preview: options.preview,
      maker: options.maker,
      approverRoles: options.rule.approvers,
      expiresAt: new Date(options.now.getTime() + options.policy.requestTtlMs),
    },
    context,
    claim: job.claim,
    correlationId: context.correlationId ?? randomUUID(),
  });
  const [approval] = result.approvals;
  if (!approval) throw new Error('request_approval answered without its request');
  throw new ApprovalRequested(approval, result.replayed);
}

/** An earlier submission's answer: its approval request (thrown), or what it did. */
function answerStored(claim: IdempotencyClaim, stored: StoredRequest): CommandResult {
  const earlier = {
    ...decodeCommandResult(storedResultFor(claim, stored) as EncodedCommandResult),
    replayed: true,
  };
  const [approval] = earlier.approvals;
  if (approval) throw new ApprovalRequested(approval, true);
  return earlier;
}

/** The most any one account's balance moves, and that account's currency. */
function amountMoved(preview: CommandPreview): { amountMinor: bigint | null; currency: string } {
  let amountMinor: bigint | null = null;
  let currency = '';
  for (const decided of preview.decided) {
    if (!isAccountEvent(decided.event)) continue;
    const account = preview.before.account.get(decided.target.id);
    if (account?.status === 'open' && currency === '') currency = account.currency;
    const delta = balanceDelta(decided.event);
    const moved = delta < 0n ? -delta : delta;
    if (moved > 0n && (amountMinor === null || moved > amountMinor)) amountMinor = moved;
  }
  if (currency === '')
    for (const ref of preview.requirements.aggregates) {
      const account = ref.kind === 'account' ? preview.before.account.get(ref.id) : undefined;
      if (account?.status === 'open') {
        currency = account.currency;
        break;
      }
    }
  return { amountMinor, currency };
}

/** Each account the command touches, before → after. */
function previewLines(preview: CommandPreview): PreviewLine[] {
  const lines: PreviewLine[] = [];
  for (const ref of preview.requirements.aggregates) {
    if (ref.kind !== ('account' satisfies AggregateKind)) continue;
    const before = preview.before.account.get(ref.id);
    const after = preview.after.account.get(ref.id);
    if (before?.status !== 'open' || after?.status !== 'open') continue;
    lines.push({
      accountId: ref.id,
      currency: before.currency,
      balanceBeforeMinor: before.balanceMinor.toString(),
      balanceAfterMinor: after.balanceMinor.toString(),
      availableBeforeMinor: availableAt(before, preview.now).toString(),
      availableAfterMinor: availableAt(after, preview.now).toString(),
      statusBefore: statusOf(before),
      statusAfter: statusOf(after),
    });
  }
  return lines;
}

function statusOf(account: AccountState): string {
  return account.status === 'open' ? (account.isFrozen ? 'frozen' : 'active') : account.status;
}

function subjectOf(command: LedgerCommand): string {
  if ('accountId' in command && typeof command.accountId === 'string') return command.accountId;
  if (command.type === 'transfer') return command.fromAccountId;
  return '';
}
