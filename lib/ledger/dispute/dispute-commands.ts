// A dispute case's commands, from a customer's complaint to its outcome. Steps that only concern
// the case (assign, notes, evidence, submit) touch its stream alone; steps that move money
// (opening reserves the charge, provisional credit, resolution, a write-off) also touch the
// charge's account, in the same transaction, so the money follows the case exactly once.

import { AppError, fieldError } from '../../errors';
import { refOf, type AggregateRef } from '../aggregate';
import type { CommandHandler, Decision } from '../command-handler';
import { requireText } from '../field-rules';
import type { LedgerState } from '../ledger-state';
import { REASON_MAX_LENGTH, UUID_PATTERN } from '../limits';
import { formatAmount, parseAmount } from '../money';
import { requireOpenAccount, requireRoomFor } from '../account/account-commands';
import { availableAt, type OpenAccount } from '../account/account-state';
import { reversibleMinor, type ChargeState } from '../account/charge';
import {
  CASE_EVIDENCE_MAX_BYTES,
  DISPUTE_REASON_CODES,
  DESCRIPTION_MAX_LENGTH,
  DISPUTE_STATUS_LABELS,
  EVIDENCE_CONTENT_TYPES,
  EVIDENCE_MAX_BYTES,
  FILE_NAME_MAX_LENGTH,
  MAX_DUE_DAYS,
  NOTE_MAX_LENGTH,
  acceptsEvidence,
  canMove,
  isResolved,
  type DisputeOutcome,
  type DisputeReasonCode,
  type DisputeStatus,
} from './dispute-rules';
import type { OpenedDispute } from './dispute-state';

/** At most this many notes and files on one case. */
export const MAX_EVIDENCE_ITEMS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OpenDisputeCommand {
  readonly type: 'open_dispute';
  readonly disputeId: string;
  /** The charge's account, as the caller found it; checked against the charge under lock. */
  readonly accountId: string;
  readonly chargeEventId: string;
  /** Absent means everything still reversible on the charge. */
  readonly amount?: string | undefined;
  readonly reasonCode: string;
  readonly description: string;
  /** Absent means `dueDays` after the case is opened. */
  readonly dueBy: Date | null;
  /** The policy's days to respond for this reason (the server's configuration). */
  readonly dueDays: number;
}

export interface AssignDisputeCommand {
  readonly type: 'assign_dispute';
  readonly disputeId: string;
  /** A support user or admin; the server checks the user exists before it asks. */
  readonly assigneeId: string;
}

export interface AddDisputeNoteCommand {
  readonly type: 'add_dispute_note';
  readonly disputeId: string;
  readonly evidenceId: string;
  readonly text: string;
}

export interface AddDisputeEvidenceCommand {
  readonly type: 'add_dispute_evidence';
  readonly disputeId: string;
  readonly evidenceId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface SubmitDisputeEvidenceCommand {
  readonly type: 'submit_dispute_evidence';
  readonly disputeId: string;
}

/** The commands that move money name the case's account and charge, fixed when it was opened. */
interface OnCaseAccount {
  readonly disputeId: string;
  readonly accountId: string;
  readonly chargeEventId: string;
}

export interface GiveProvisionalCreditCommand extends OnCaseAccount {
  readonly type: 'give_provisional_credit';
  /** Absent means the whole disputed amount. */
  readonly amount?: string | undefined;
}

export interface ResolveDisputeCommand extends OnCaseAccount {
  readonly type: 'resolve_dispute';
  readonly outcome: DisputeOutcome;
  readonly note: string;
}

export interface WriteOffShortfallCommand extends OnCaseAccount {
  readonly type: 'write_off_shortfall';
  readonly reason: string;
}

export type DisputeCommand =
  | OpenDisputeCommand
  | AssignDisputeCommand
  | AddDisputeNoteCommand
  | AddDisputeEvidenceCommand
  | SubmitDisputeEvidenceCommand
  | GiveProvisionalCreditCommand
  | ResolveDisputeCommand
  | WriteOffShortfallCommand;

const dispute = (disputeId: string): AggregateRef => refOf('dispute', disputeId);
const account = (accountId: string): AggregateRef => refOf('account', accountId);

function onCase<C extends { disputeId: string }>(
  decide: (command: C, state: LedgerState, now: Date) => Decision[],
): CommandHandler<C> {
  return {
    requirements: (command) => ({ aggregates: [dispute(command.disputeId)] }),
    decide,
    expectedVersionOf: (command) => dispute(command.disputeId),
  };
}

function onCaseAndAccount<C extends OnCaseAccount>(
  decide: (command: C, state: LedgerState, now: Date) => Decision[],
): CommandHandler<C> {
  return {
    requirements: (command) => ({
      aggregates: [dispute(command.disputeId), account(command.accountId)],
      charges: [command.chargeEventId],
    }),
    decide,
    expectedVersionOf: (command) => dispute(command.disputeId),
  };
}

export const DISPUTE_COMMAND_HANDLERS: {
  readonly [T in DisputeCommand['type']]: CommandHandler<Extract<DisputeCommand, { type: T }>>;
} = {
  open_dispute: {
    requirements: (command) => ({
      aggregates: [dispute(command.disputeId), account(command.accountId)],
      charges: [command.chargeEventId],
    }),
    decide: openDispute,
  },
  assign_dispute: onCase(assignDispute),
  add_dispute_note: onCase(addNote),
  add_dispute_evidence: onCase(addEvidence),
  submit_dispute_evidence: onCase(submitEvidence),
  give_provisional_credit: onCaseAndAccount(giveProvisionalCredit),
  resolve_dispute: onCaseAndAccount(resolveDispute),
  write_off_shortfall: onCaseAndAccount(writeOffShortfall),
};

function openDispute(command: OpenDisputeCommand, state: LedgerState, now: Date): Decision[] {
  if (!UUID_PATTERN.test(command.disputeId))
    throw fieldError('disputeId', 'A dispute id is a UUID.');
  const existing = state.dispute.get(command.disputeId);
  if (existing && existing.status !== 'none')
    throw fieldError('disputeId', `Dispute ${command.disputeId} already exists.`);
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const charge = requireCharge(state, open, command.chargeEventId);
  if (charge.disputeId !== null)
    throw new AppError(
      'dispute_exists',
      `Charge ${charge.eventId} already has an open dispute (${charge.disputeId}); one case per charge at a time.`,
      { fieldErrors: { chargeEventId: 'This charge already has an open dispute.' } },
    );
  const reasonCode = requireReasonCode(command.reasonCode);
  const description = requireText(command.description, 'description', DESCRIPTION_MAX_LENGTH);
  const reversible = reversibleMinor(charge);
  const format = (minor: bigint) => formatAmount(minor, open.currency, { grouping: true });
  if (reversible === 0n)
    throw new AppError(
      'amount_exceeds_reversible',
      `Charge ${charge.eventId} has nothing left to dispute: it has been given back in full.`,
      { fieldErrors: { amount: 'Nothing is left to dispute on this charge.' } },
    );
  const amountMinor =
    command.amount === undefined ? reversible : parseAmount(command.amount, open.currency);
  if (amountMinor > reversible)
    throw new AppError(
      'amount_exceeds_reversible',
      `Only ${format(reversible)} ${open.currency} of charge ${charge.eventId} can still be disputed.`,
      { fieldErrors: { amount: `At most ${format(reversible)} ${open.currency}.` } },
    );
  const dueBy = command.dueBy ?? new Date(now.getTime() + command.dueDays * DAY_MS);
  if (dueBy.getTime() <= now.getTime())
    throw fieldError('dueBy', 'The due date must be in the future.');
  if (dueBy.getTime() > now.getTime() + MAX_DUE_DAYS * DAY_MS)
    throw fieldError('dueBy', `The due date is at most ${MAX_DUE_DAYS} days ahead.`);
  const money = {
    disputeId: command.disputeId,
    chargeEventId: charge.eventId,
    amountMinor,
    currency: open.currency,
  };
  return [
    {
      target: dispute(command.disputeId),
      causationId: charge.eventId,
      event: {
        type: 'dispute_opened',
        schemaVersion: 1,
        data: { ...money, accountId: open.accountId, reasonCode, description, dueBy },
      },
    },
    {
      target: account(open.accountId),
      causationId: charge.eventId,
      event: { type: 'charge_disputed', schemaVersion: 1, data: money },
    },
  ];
}

function assignDispute(command: AssignDisputeCommand, state: LedgerState): Decision[] {
  const found = requireUnresolved(state, command.disputeId, 'assign');
  const assigneeId = requireText(command.assigneeId, 'assigneeId', 128);
  if (found.assigneeId === assigneeId)
    throw fieldError('assigneeId', 'The case is already assigned to this user.');
  return [
    {
      target: dispute(found.disputeId),
      event: { type: 'dispute_assigned', schemaVersion: 1, data: { assigneeId } },
    },
  ];
}

function addNote(command: AddDisputeNoteCommand, state: LedgerState): Decision[] {
  const found = requireRoomForEvidence(state, command.disputeId, command.evidenceId);
  const text = requireText(command.text, 'text', NOTE_MAX_LENGTH);
  return [
    {
      target: dispute(found.disputeId),
      event: {
        type: 'dispute_note_added',
        schemaVersion: 1,
        data: { evidenceId: command.evidenceId, text },
      },
    },
  ];
}

function addEvidence(command: AddDisputeEvidenceCommand, state: LedgerState): Decision[] {
  const found = requireRoomForEvidence(state, command.disputeId, command.evidenceId);
  const fileName = requireText(command.fileName, 'fileName', FILE_NAME_MAX_LENGTH);
  if (!(EVIDENCE_CONTENT_TYPES as readonly string[]).includes(command.contentType))
    throw new AppError('unsupported_media_type', 'Evidence must be a PDF, PNG or JPEG file.');
  if (!Number.isSafeInteger(command.sizeBytes) || command.sizeBytes < 1)
    throw fieldError('file', 'The file is empty.');
  if (command.sizeBytes > EVIDENCE_MAX_BYTES)
    throw new AppError('payload_too_large', 'Evidence files are at most 5 MiB each.');
  const storedBytes = found.evidence.reduce(
    (sum, item) => sum + (item.kind === 'file' ? item.sizeBytes : 0),
    0,
  );
  if (storedBytes + command.sizeBytes > CASE_EVIDENCE_MAX_BYTES)
    throw new AppError(
      'payload_too_large',
      `A case holds at most ${CASE_EVIDENCE_MAX_BYTES / 1024 / 1024} MiB of files; this one has ${(storedBytes / 1024 / 1024).toFixed(1)} MiB.`,
    );
  if (!/^[0-9a-f]{64}$/.test(command.sha256))
    throw fieldError('sha256', 'A file hash is 64 lowercase hexadecimal digits.');
  return [
    {
      target: dispute(found.disputeId),
      event: {
        type: 'dispute_evidence_added',
        schemaVersion: 1,
        data: {
          evidenceId: command.evidenceId,
          fileName,
          contentType: command.contentType,
          sizeBytes: command.sizeBytes,
          sha256: command.sha256,
        },
      },
    },
  ];
}

function submitEvidence(command: SubmitDisputeEvidenceCommand, state: LedgerState): Decision[] {
  const found = requireDispute(state, command.disputeId);
  requireMove(found, 'under_review', 'submit its evidence');
  const staged = found.evidence.filter((item) => !item.submitted);
  if (staged.length === 0)
    throw new AppError(
      'validation_error',
      'There is no evidence to submit: add a note or a file first.',
    );
  return [
    {
      target: dispute(found.disputeId),
      event: {
        type: 'dispute_evidence_submitted',
        schemaVersion: 1,
        data: { evidenceIds: staged.map((item) => item.evidenceId) },
      },
    },
  ];
}

function giveProvisionalCredit(
  command: GiveProvisionalCreditCommand,
  state: LedgerState,
): Decision[] {
  const { found, open } = requireCaseAccount(state, command);
  if (isResolved(found.status)) throw notAllowed(found, 'give provisional credit');
  if (found.provisionalCreditMinor > 0n)
    throw new AppError(
      'invalid_transition',
      `Dispute ${found.disputeId} has already given provisional credit.`,
    );
  const amountMinor =
    command.amount === undefined ? found.amountMinor : parseAmount(command.amount, found.currency);
  if (amountMinor > found.amountMinor) {
    const most = formatAmount(found.amountMinor, found.currency, { grouping: true });
    throw new AppError(
      'amount_exceeds_reversible',
      `Provisional credit is at most the disputed ${most} ${found.currency}.`,
      { fieldErrors: { amount: `At most ${most} ${found.currency}.` } },
    );
  }
  requireRoomFor(open, amountMinor);
  const money = {
    disputeId: found.disputeId,
    chargeEventId: found.chargeEventId,
    amountMinor,
    currency: found.currency,
  };
  return [
    {
      target: dispute(found.disputeId),
      event: {
        type: 'dispute_provisional_credit_given',
        schemaVersion: 1,
        data: { amountMinor, currency: found.currency },
      },
    },
    {
      target: account(open.accountId),
      causationId: found.chargeEventId,
      event: { type: 'provisional_credit_given', schemaVersion: 1, data: money },
    },
  ];
}

function resolveDispute(command: ResolveDisputeCommand, state: LedgerState, now: Date): Decision[] {
  const { found, open } = requireCaseAccount(state, command);
  const verb = command.outcome === 'withdrawn' ? 'withdraw it' : `resolve it as ${command.outcome}`;
  requireMove(found, command.outcome, verb);
  const note = requireText(command.note, 'note', REASON_MAX_LENGTH);
  const money = {
    disputeId: found.disputeId,
    chargeEventId: found.chargeEventId,
    currency: found.currency,
  };
  const closed = (outstandingMinor: bigint): Decision => ({
    target: account(open.accountId),
    causationId: found.chargeEventId,
    event: {
      type: 'charge_dispute_closed',
      schemaVersion: 1,
      data: { ...money, outcome: command.outcome, outstandingMinor },
    },
  });
  const resolved = (
    refundedMinor: bigint,
    clawedBackMinor: bigint,
    outstandingMinor: bigint,
  ): Decision => ({
    target: dispute(found.disputeId),
    event: {
      type: 'dispute_resolved',
      schemaVersion: 1,
      data: {
        outcome: command.outcome,
        note,
        currency: found.currency,
        refundedMinor,
        clawedBackMinor,
        outstandingMinor,
      },
    },
  });
  if (command.outcome === 'won') {
    // The provisional credit becomes final; the rest of the disputed amount is refunded now.
    const refundedMinor = found.amountMinor - found.provisionalCreditMinor;
    requireRoomFor(open, refundedMinor);
    const decisions = [resolved(refundedMinor, 0n, 0n), closed(0n)];
    if (refundedMinor > 0n)
      decisions.push({
        target: account(open.accountId),
        causationId: found.chargeEventId,
        event: {
          type: 'disputed_charge_refunded',
          schemaVersion: 1,
          data: { ...money, amountMinor: refundedMinor },
        },
      });
    return decisions;
  }
  // Lost or withdrawn: the provisional credit is taken back as far as the available funds cover
  // it; what they do not stays owed by the account, collected from later incoming funds.
  const available = availableAt(open, now);
  const coverable = available > 0n ? available : 0n;
  const clawedBackMinor =
    found.provisionalCreditMinor < coverable ? found.provisionalCreditMinor : coverable;
  const outstandingMinor = found.provisionalCreditMinor - clawedBackMinor;
  const decisions = [resolved(0n, clawedBackMinor, outstandingMinor), closed(outstandingMinor)];
  if (clawedBackMinor > 0n)
    decisions.push({
      target: account(open.accountId),
      causationId: found.chargeEventId,
      event: {
        type: 'provisional_credit_reversed',
        schemaVersion: 1,
        data: { ...money, amountMinor: clawedBackMinor },
      },
    });
  return decisions;
}

function writeOffShortfall(command: WriteOffShortfallCommand, state: LedgerState): Decision[] {
  const { found, open } = requireCaseAccount(state, command);
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  const owed = open.shortfalls.get(found.disputeId);
  if (!owed)
    throw new AppError(
      'nothing_outstanding',
      `Dispute ${found.disputeId} leaves nothing outstanding to write off.`,
    );
  const money = {
    disputeId: found.disputeId,
    chargeEventId: found.chargeEventId,
    amountMinor: owed.outstandingMinor,
    currency: found.currency,
  };
  return [
    {
      target: dispute(found.disputeId),
      event: {
        type: 'dispute_shortfall_written_off',
        schemaVersion: 1,
        data: { amountMinor: owed.outstandingMinor, currency: found.currency, reason },
      },
    },
    {
      target: account(open.accountId),
      causationId: found.chargeEventId,
      event: { type: 'shortfall_written_off', schemaVersion: 1, data: { ...money, reason } },
    },
  ];
}

function requireDispute(state: LedgerState, disputeId: string): OpenedDispute {
  const found = UUID_PATTERN.test(disputeId) ? state.dispute.get(disputeId) : undefined;
  if (!found || found.status === 'none')
    throw new AppError('not_found', `No dispute ${disputeId} exists.`);
  return found;
}

function requireUnresolved(state: LedgerState, disputeId: string, verb: string): OpenedDispute {
  const found = requireDispute(state, disputeId);
  if (isResolved(found.status)) throw notAllowed(found, verb);
  return found;
}

function requireRoomForEvidence(
  state: LedgerState,
  disputeId: string,
  evidenceId: string,
): OpenedDispute {
  const found = requireDispute(state, disputeId);
  if (!acceptsEvidence(found.status))
    throw notAllowed(
      found,
      isResolved(found.status)
        ? 'add evidence to it'
        : 'add evidence to it: what was submitted is the case’s evidence',
    );
  if (!UUID_PATTERN.test(evidenceId)) throw fieldError('evidenceId', 'An evidence id is a UUID.');
  if (found.evidence.some((item) => item.evidenceId === evidenceId))
    throw fieldError('evidenceId', `Evidence ${evidenceId} is already on the case.`);
  if (found.evidence.length >= MAX_EVIDENCE_ITEMS)
    throw new AppError(
      'validation_error',
      `A case holds at most ${MAX_EVIDENCE_ITEMS} notes and files.`,
    );
  return found;
}

function requireMove(found: OpenedDispute, to: DisputeStatus, verb: string): void {
  if (!canMove(found.status, to)) throw notAllowed(found, verb);
}

function notAllowed(found: OpenedDispute, verb: string): AppError {
  return new AppError(
    'invalid_transition',
    `Dispute ${found.disputeId} is ${DISPUTE_STATUS_LABELS[found.status].toLowerCase()}; you cannot ${verb}.`,
  );
}

function requireCaseAccount(
  state: LedgerState,
  command: OnCaseAccount,
): { found: OpenedDispute; open: OpenAccount } {
  const found = requireDispute(state, command.disputeId);
  if (found.accountId !== command.accountId || found.chargeEventId !== command.chargeEventId)
    throw new AppError('not_found', `No dispute ${command.disputeId} exists on this account.`);
  return { found, open: requireOpenAccount(state, found.accountId, 'accountId') };
}

function requireCharge(state: LedgerState, open: OpenAccount, chargeEventId: string): ChargeState {
  const charge = state.charges.get(chargeEventId);
  if (!charge || charge.accountId !== open.accountId)
    throw new AppError(
      'not_reversible',
      `Event ${chargeEventId} is not a charge of account ${open.accountId}. Only withdrawals and captured holds can be disputed.`,
      { fieldErrors: { chargeEventId: 'Only withdrawals and captured holds can be disputed.' } },
    );
  return charge;
}

function requireReasonCode(value: string): DisputeReasonCode {
  if (!(DISPUTE_REASON_CODES as readonly string[]).includes(value))
    throw fieldError('reasonCode', `The reason is one of ${DISPUTE_REASON_CODES.join(', ')}.`);
  return value as DisputeReasonCode;
}
