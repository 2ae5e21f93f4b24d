// Converters from ledger records to the API's JSON resources (lib/schemas/api-resources.ts).

import type { z } from 'zod';
import { isCurrencyCode } from '../../ledger/currencies';
import { formatAmount } from '../../ledger/money';
import type {
  accountAsOfResource,
  accountResource,
  disputeResource,
  holdResource,
  integrityReport,
  verificationRunResource,
} from '../../schemas/api-resources';
import type { IntegrityStatus } from '../integrity/get-integrity-status';
import { firstProblem, type IntegrityProblem } from '../integrity/integrity-problem';
import type { VerificationRun } from '../integrity/verification-run';
import type { RecordedEvent } from '../event-store/types';
import { availableMinorOf, type AccountRecord } from '../aggregates/account/account-record';
import type { HoldRecord } from '../aggregates/hold/hold-record';
import type { DisputeRecord } from '../aggregates/dispute/dispute-record';
import type { ApprovalRecord } from '../aggregates/approval/approval-record';
import type { AccountAsOf } from '../queries/get-account-at';

// Typed by the resource schemas, so the converter cannot drift from the documented shape.
export function toAccountResource(account: AccountRecord): z.input<typeof accountResource> {
  return {
    id: account.id,
    ownerId: account.ownerId,
    currency: account.currency,
    balance: formatAmount(account.balanceMinor, account.currency),
    availableBalance: formatAmount(availableMinorOf(account), account.currency),
    heldBalance: formatAmount(account.heldMinor, account.currency),
    owedBalance: formatAmount(account.owedMinor, account.currency),
    frozen: account.frozen,
    version: account.version,
    openedAt: account.openedAt.toISOString(),
  };
}

export function toAccountAsOfResource(asOf: AccountAsOf): z.input<typeof accountAsOfResource> {
  return {
    ...toAccountResource(asOf.account),
    asOf: asOf.asOf.toISOString(),
    knownAt: asOf.knownAt?.toISOString() ?? null,
    correctionsAmount: formatAmount(asOf.correctionsMinor, asOf.account.currency),
    lastEventId: asOf.lastEvent.eventId,
    holds: asOf.holds.map((hold) => ({
      id: hold.id,
      amount: formatAmount(hold.amountMinor, asOf.account.currency),
      remainingAmount: formatAmount(hold.remainingMinor, asOf.account.currency),
      reason: hold.reason,
      reference: hold.reference,
      expiresAt: hold.expiresAt?.toISOString() ?? null,
      createdAt: hold.placedAt.toISOString(),
    })),
  };
}

export function toHoldResource(hold: HoldRecord): z.input<typeof holdResource> {
  return {
    id: hold.id,
    accountId: hold.accountId,
    currency: hold.currency,
    amount: formatAmount(hold.amountMinor, hold.currency),
    capturedAmount: formatAmount(hold.capturedMinor, hold.currency),
    remainingAmount: formatAmount(hold.remainingMinor, hold.currency),
    status: hold.status,
    reason: hold.reason,
    reference: hold.reference,
    expiresAt: hold.expiresAt?.toISOString() ?? null,
    createdAt: hold.placedAt.toISOString(),
  };
}

export type DisputeResource = z.input<typeof disputeResource>;

export function toDisputeResource(dispute: DisputeRecord): DisputeResource {
  const money = (minor: bigint) => formatAmount(minor, dispute.currency);
  return {
    id: dispute.id,
    accountId: dispute.accountId,
    chargeEventId: dispute.chargeEventId,
    currency: dispute.currency,
    amount: money(dispute.amountMinor),
    reasonCode: dispute.reasonCode,
    description: dispute.description,
    status: dispute.status,
    assigneeId: dispute.assigneeId,
    dueBy: dispute.dueBy.toISOString(),
    overdue: dispute.overdue,
    provisionalCredit: money(dispute.provisionalCreditMinor),
    refundedAmount: money(dispute.refundedMinor),
    clawedBackAmount: money(dispute.clawedBackMinor),
    outstandingAmount: money(dispute.outstandingMinor),
    writtenOffAmount: money(dispute.writtenOffMinor),
    outcome: dispute.outcome,
    resolutionNote: dispute.resolutionNote,
    resolvedAt: dispute.resolvedAt?.toISOString() ?? null,
    submittedAt: dispute.submittedAt?.toISOString() ?? null,
    evidence: dispute.evidence.map(({ evidenceId, addedAt, ...item }) => ({
      id: evidenceId,
      ...item,
      addedAt: addedAt.toISOString(),
    })),
    version: dispute.version,
    createdAt: dispute.openedAt.toISOString(),
    updatedAt: dispute.updatedAt.toISOString(),
  };
}

export function toEventResource(event: RecordedEvent) {
  return {
    id: event.eventId,
    streamId: event.streamId,
    version: event.streamVersion,
    position: event.globalPosition.toString(),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

/** ETag for an account: its version, which If-Match accepts back. */
export function accountEtag(account: { version: number }): string {
  return `"${account.version}"`;
}

export function toIntegrityProblemResource(problem: IntegrityProblem) {
  return {
    reason: problem.reason,
    streamId: problem.streamId,
    streamVersion: problem.streamVersion,
    ...(problem.eventId ? { eventId: problem.eventId } : {}),
    ...(problem.globalPosition ? { position: problem.globalPosition } : {}),
    ...(problem.checkpoint !== undefined ? { checkpoint: problem.checkpoint } : {}),
    detail: problem.detail,
  };
}

export function toVerificationRunResource(
  run: VerificationRun,
): z.input<typeof verificationRunResource> {
  return {
    id: run.id,
    status: run.status,
    requestedBy: run.requestedBy,
    requestedAt: run.requestedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    totalEvents: run.totalEvents,
    checkedEvents: run.checkedEvents,
    ok: run.ok,
  };
}

export function toIntegrityReportResource(
  status: IntegrityStatus,
): z.input<typeof integrityReport> {
  const problems = status.problems.map(toIntegrityProblemResource);
  const first = firstProblem(status.problems);
  return {
    ok: status.ok,
    stale: status.stale,
    checkedEvents: status.verifiedEvents,
    verifiedThrough: status.verifiedThroughPosition.toString(),
    verifiedAt: status.checkedAt?.toISOString() ?? null,
    pendingEvents: status.pendingEvents,
    ...(first ? { firstBroken: toIntegrityProblemResource(first) } : {}),
    problems,
    lastFullVerification: status.lastFullVerification
      ? toVerificationRunResource(status.lastFullVerification)
      : null,
    checkpoints: {
      state: status.checkpoints.state,
      keyId: status.checkpoints.keyId,
      latest: status.checkpoints.latest
        ? {
            number: status.checkpoints.latest.number,
            sealedAt: status.checkpoints.latest.sealedAt.toISOString(),
            throughPosition: status.checkpoints.latest.throughPosition,
          }
        : null,
      verifiedThrough: status.checkpoints.verifiedThrough,
      unsealedEvents: status.checkpoints.unsealedEvents,
      oldestUnsealedAt: status.checkpoints.oldestUnsealedAt?.toISOString() ?? null,
      sinks: status.checkpoints.sinks.map((sink) => ({
        // Which host's file, without its path on that host.
        name: sink.name.replace(/^file:([^:]*):.*$/, 'file:$1'),
        writtenThrough: sink.writtenThrough,
        lastWrittenAt: sink.lastWrittenAt?.toISOString() ?? null,
        lastError: sink.lastError,
      })),
    },
  };
}

export function toApprovalResource(approval: ApprovalRecord) {
  const money = (minor: string | bigint) =>
    isCurrencyCode(approval.currency)
      ? formatAmount(BigInt(minor), approval.currency)
      : String(minor);
  return {
    id: approval.id,
    kind: approval.kind,
    status: approval.status,
    summary: approval.summary,
    // An admin key's request holds the key's hash: not for every reader.
    command:
      approval.kind === 'create_admin_api_key'
        ? { ...approval.command, keyHash: '(withheld)' }
        : approval.command,
    subject: approval.subject,
    amount: approval.amountMinor === null ? null : money(approval.amountMinor),
    currency: approval.currency,
    preview: approval.preview.map((line) => {
      const inCurrency = (minor: string) =>
        isCurrencyCode(line.currency) ? formatAmount(BigInt(minor), line.currency) : minor;
      return {
        accountId: line.accountId,
        currency: line.currency,
        balanceBefore: inCurrency(line.balanceBeforeMinor),
        balanceAfter: inCurrency(line.balanceAfterMinor),
        availableBefore: inCurrency(line.availableBeforeMinor),
        availableAfter: inCurrency(line.availableAfterMinor),
        statusBefore: line.statusBefore,
        statusAfter: line.statusAfter,
      };
    }),
    maker: approval.maker,
    approverRoles: approval.approverRoles,
    requestedAt: approval.requestedAt.toISOString(),
    expiresAt: approval.expiresAt.toISOString(),
    decidedBy: approval.decidedBy,
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    reason: approval.reason,
    version: approval.version,
  };
}
