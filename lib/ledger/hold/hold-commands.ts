// A hold's commands: place one on an account (reserving funds), capture all or part of it
// (posting a debit), release it, or record that it expired. Each touches the hold and its account,
// and records the hold's side and the account's side of what happened.

import { AppError, fieldError } from '../../errors';
import { formatAmount, parseAmount } from '../money';
import { refOf, type AggregateRef } from '../aggregate';
import type { CommandHandler, Decision } from '../command-handler';
import { optionalText, requireText } from '../field-rules';
import type { LedgerState } from '../ledger-state';
import { MAX_HOLD_DAYS, REASON_MAX_LENGTH, REFERENCE_MAX_LENGTH, UUID_PATTERN } from '../limits';
import {
  requireAvailable,
  requireNotFrozen,
  requireOpenAccount,
} from '../account/account-commands';
import { holdStatusAt, type HoldStatus, type PlacedHold } from './hold-state';

export interface PlaceHoldCommand {
  readonly type: 'place_hold';
  readonly holdId: string;
  readonly accountId: string;
  readonly amount: string;
  readonly reason: string;
  readonly reference: string;
  /** From this instant on the hold reserves nothing; none means until captured or released. */
  readonly expiresAt: Date | null;
}

export interface CaptureHoldCommand {
  readonly type: 'capture_hold';
  readonly holdId: string;
  /** The hold's account, as the caller found it; checked against the hold under lock. */
  readonly accountId: string;
  /** Absent means everything the hold still reserves. */
  readonly amount?: string | undefined;
}

export interface ReleaseHoldCommand {
  readonly type: 'release_hold';
  readonly holdId: string;
  readonly accountId: string;
  readonly reason: string;
}

export interface ExpireHoldCommand {
  readonly type: 'expire_hold';
  readonly holdId: string;
  readonly accountId: string;
}

export type HoldCommand =
  PlaceHoldCommand | CaptureHoldCommand | ReleaseHoldCommand | ExpireHoldCommand;

const hold = (holdId: string): AggregateRef => refOf('hold', holdId);
const account = (accountId: string): AggregateRef => refOf('account', accountId);

/** Every hold command reads and writes the hold and its account; its result shows both. */
function onHoldAndAccount<C extends { holdId: string; accountId: string }>(
  decide: (command: C, state: LedgerState, now: Date) => Decision[],
): CommandHandler<C> {
  return {
    requirements: (command) => ({
      aggregates: [hold(command.holdId), account(command.accountId)],
    }),
    decide,
    expectedVersionOf: (command) => hold(command.holdId),
  };
}

export const HOLD_COMMAND_HANDLERS: {
  readonly [T in HoldCommand['type']]: CommandHandler<Extract<HoldCommand, { type: T }>>;
} = {
  place_hold: {
    requirements: (command) => ({
      aggregates: [hold(command.holdId), account(command.accountId)],
    }),
    decide: placeHold,
    expectedVersionOf: (command) => account(command.accountId),
  },
  capture_hold: onHoldAndAccount(captureHold),
  release_hold: onHoldAndAccount(releaseHold),
  expire_hold: onHoldAndAccount(expireHold),
};

function placeHold(command: PlaceHoldCommand, state: LedgerState, now: Date): Decision[] {
  if (!UUID_PATTERN.test(command.holdId)) throw fieldError('holdId', 'A hold id is a UUID.');
  const existing = state.hold.get(command.holdId);
  if (existing && existing.status !== 'none')
    throw fieldError('holdId', `Hold ${command.holdId} already exists.`);
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const amountMinor = parseAmount(command.amount, open.currency);
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  const reference = optionalText(command.reference, 'reference', REFERENCE_MAX_LENGTH);
  if (command.expiresAt !== null) {
    const latest = now.getTime() + MAX_HOLD_DAYS * 24 * 60 * 60 * 1000;
    if (command.expiresAt.getTime() <= now.getTime())
      throw fieldError('expiresAt', 'A hold must expire in the future.');
    if (command.expiresAt.getTime() > latest)
      throw fieldError('expiresAt', `A hold lasts at most ${MAX_HOLD_DAYS} days.`);
  }
  requireNotFrozen(open);
  requireAvailable(open, amountMinor, now);
  const placed = {
    holdId: command.holdId,
    amountMinor,
    currency: open.currency,
    expiresAt: command.expiresAt,
    reason,
    reference,
  };
  return [
    {
      target: hold(command.holdId),
      event: {
        type: 'hold_placed',
        schemaVersion: 1,
        data: { ...placed, accountId: open.accountId },
      },
    },
    {
      target: account(open.accountId),
      event: { type: 'funds_held', schemaVersion: 1, data: placed },
    },
  ];
}

function captureHold(command: CaptureHoldCommand, state: LedgerState, now: Date): Decision[] {
  const placed = requireActiveHold(state, command, now);
  const open = requireOpenAccount(state, placed.accountId, 'accountId');
  requireNotFrozen(open);
  const remainingMinor = placed.amountMinor - placed.capturedMinor;
  const amountMinor =
    command.amount === undefined ? remainingMinor : parseAmount(command.amount, placed.currency);
  if (amountMinor > remainingMinor) {
    const left = formatAmount(remainingMinor, placed.currency, { grouping: true });
    throw new AppError(
      'capture_exceeds_hold',
      `Only ${left} ${placed.currency} of hold ${placed.holdId} is left to capture.`,
      { fieldErrors: { amount: `At most ${left} ${placed.currency} can still be captured.` } },
    );
  }
  const data = { holdId: placed.holdId, amountMinor, currency: placed.currency };
  return [
    {
      target: hold(placed.holdId),
      event: {
        type: 'hold_captured',
        schemaVersion: 1,
        data: { ...data, accountId: placed.accountId },
      },
    },
    {
      target: account(placed.accountId),
      event: { type: 'held_funds_captured', schemaVersion: 1, data },
    },
  ];
}

function releaseHold(command: ReleaseHoldCommand, state: LedgerState, now: Date): Decision[] {
  const placed = requireActiveHold(state, command, now);
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  const data = {
    holdId: placed.holdId,
    amountMinor: placed.amountMinor - placed.capturedMinor,
    currency: placed.currency,
    reason,
  };
  return [
    {
      target: hold(placed.holdId),
      event: {
        type: 'hold_released',
        schemaVersion: 1,
        data: { ...data, accountId: placed.accountId },
      },
    },
    {
      target: account(placed.accountId),
      event: { type: 'held_funds_released', schemaVersion: 1, data },
    },
  ];
}

function expireHold(command: ExpireHoldCommand, state: LedgerState, now: Date): Decision[] {
  const placed = requireHold(state, command);
  if (placed.status !== 'active') throw notActive(placed, placed.status);
  if (holdStatusAt(placed, now) !== 'expired')
    throw new AppError(
      'validation_error',
      `Hold ${placed.holdId} does not expire until ${placed.expiresAt?.toISOString() ?? 'it is ended'}.`,
    );
  const data = {
    holdId: placed.holdId,
    amountMinor: placed.amountMinor - placed.capturedMinor,
    currency: placed.currency,
  };
  return [
    {
      target: hold(placed.holdId),
      event: {
        type: 'hold_expired',
        schemaVersion: 1,
        data: { ...data, accountId: placed.accountId },
      },
    },
    {
      target: account(placed.accountId),
      event: { type: 'held_funds_expired', schemaVersion: 1, data },
    },
  ];
}

function requireHold(
  state: LedgerState,
  command: { holdId: string; accountId: string },
): PlacedHold {
  const found = state.hold.get(command.holdId);
  if (!found || found.status === 'none' || found.accountId !== command.accountId)
    throw new AppError('not_found', `No hold ${command.holdId} exists on this account.`);
  return found;
}

/** The hold, if it still reserves funds at `now`; a typed refusal saying why not otherwise. */
function requireActiveHold(
  state: LedgerState,
  command: { holdId: string; accountId: string },
  now: Date,
): PlacedHold {
  const placed = requireHold(state, command);
  const status = holdStatusAt(placed, now);
  if (status !== 'active') throw notActive(placed, status);
  return placed;
}

function notActive(placed: PlacedHold, status: Exclude<HoldStatus, 'active'>): AppError {
  const why =
    status === 'expired' && placed.status === 'active'
      ? `expired at ${placed.expiresAt?.toISOString()}`
      : status === 'captured'
        ? 'has been captured in full'
        : `was ${status}`;
  return new AppError('hold_not_active', `Hold ${placed.holdId} ${why}; it reserves nothing.`);
}
