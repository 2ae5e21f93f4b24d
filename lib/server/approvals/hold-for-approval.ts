// The approval gate at the pipeline's entry. A command of a kind the policy may hold is first
// decided against the current state without recording anything; if what it would move crosses the
// policy's line, it becomes an approval request — recorded through the same pipeline, under the
// caller's idempotency key — instead of running. A command the rules refuse now is never queued:
// it goes on to the pipeline, which refuses it (or answers a retry with its first answer).

import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { AggregateKind } from '../../ledger/aggregate';
import {
  approvalRequirement,
  mayNeedApproval,
  type ApprovalPolicy,
  type ApprovalRule,
} from '../../ledger/approval/approval-policy';
import type { PreviewLine } from '../../ledger/approval/approval-events';
import type { ApprovalKind, Person } from '../../ledger/approval/approval-rules';
import { describeHeldCommand } from '../../ledger/approval/describe-held-command';
import { availableAt, type AccountState } from '../../ledger/account/account-state';
import type { LedgerCommand } from '../../ledger/commands';
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
import { findStoredRequest, storedResultFor } from '../pipeline/idempotency';
import { previewCommand, type CommandPreview } from '../pipeline/run-batch';
import { runAlone } from '../pipeline/run-commands';
import { approvalPolicy } from './approval-policy-config';
import { ApprovalRequested } from './approval-requested';

/**
 * Runs the gate for `job`. Returns null when the command goes on to the pipeline (it may run at
 * once, or its rules refuse it now); a stored answer to an earlier submission with the same key;
 * or throws ApprovalRequested once it is held (or was, by that earlier submission).
 */
export async function holdForApprovalIfRequired(job: CommandJob): Promise<CommandResult | null> {
  const policy = approvalPolicy();
  const { command, context } = job;
  if (!mayNeedApproval(policy, command.type)) return null;
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
    if (stored) {
      const earlier = {
        ...decodeCommandResult(storedResultFor(job.claim, stored) as EncodedCommandResult),
        replayed: true,
      };
      const [approval] = earlier.approvals;
      if (approval) throw new ApprovalRequested(approval, true);
      return earlier;
    }
  }
  let preview: CommandPreview;
  try {
    preview = await withTransaction(db, (tx) => previewCommand(tx, command));
  } catch (error) {
    // Refused as things stand: nothing to hold. The pipeline decides it again under its locks —
    // and answers a retry whose first attempt committed meanwhile with that attempt's answer.
    if (error instanceof AppError) return null;
    throw error;
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
  const context: CommandContext = { ...job.context, db: options.db };
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
