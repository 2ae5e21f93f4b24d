// The account's commands: what callers may ask of an account, and the rules that decide them.
// Amounts arrive as decimal strings in the account's currency; each rule parses them once it
// knows which currency applies.

import { AppError, fieldError } from '../../errors';
import { refOf, type AggregateRef } from '../aggregate';
import type { CommandHandler, Decision } from '../command-handler';
import { optionalText, requireAccountId, requireText } from '../field-rules';
import type { LedgerState } from '../ledger-state';
import { OWNER_ID_MAX_LENGTH, REASON_MAX_LENGTH, REFERENCE_MAX_LENGTH } from '../limits';
import { formatAmount, parseAmount, parseNonNegativeAmount, requireCurrencyCode } from '../money';
import {
  requireAvailable,
  requireNotFrozen,
  requireOpenAccount,
  requireRoomFor,
} from './account-rules';
import { reversibleMinor } from './charge';
import { recordCorrectionHandler, type RecordCorrectionCommand } from './record-correction';
import { collectShortfalls } from './shortfall-collection';

// The rules every money command applies live in account-rules.ts (the correction uses them too);
// the holds' and disputes' deciders import them from here.
export { requireAvailable, requireNotFrozen, requireOpenAccount, requireRoomFor };

export interface OpenAccountCommand {
  readonly type: 'open_account';
  readonly accountId: string;
  readonly ownerId: string;
  readonly currency: string;
  /** An optional opening deposit; "0" or absent means the account opens empty. */
  readonly initialBalance?: string | undefined;
}

export interface DepositCommand {
  readonly type: 'deposit';
  readonly accountId: string;
  readonly amount: string;
  readonly source: string;
  readonly reference: string;
}

export interface WithdrawCommand {
  readonly type: 'withdraw';
  readonly accountId: string;
  readonly amount: string;
  readonly destination: string;
  readonly reference: string;
}

export interface TransferCommand {
  readonly type: 'transfer';
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: string;
  readonly reference: string;
}

export interface ReverseChargeCommand {
  readonly type: 'reverse_charge';
  readonly accountId: string;
  readonly originalEventId: string;
  /** Absent means "whatever is left to reverse". */
  readonly amount?: string | undefined;
  readonly reason: string;
}

export interface FreezeAccountCommand {
  readonly type: 'freeze_account';
  readonly accountId: string;
  readonly reason: string;
}

export interface UnfreezeAccountCommand {
  readonly type: 'unfreeze_account';
  readonly accountId: string;
  readonly reason: string;
}

export type AccountCommand =
  | OpenAccountCommand
  | DepositCommand
  | WithdrawCommand
  | TransferCommand
  | ReverseChargeCommand
  | FreezeAccountCommand
  | UnfreezeAccountCommand
  | RecordCorrectionCommand;

const account = (accountId: string): AggregateRef => refOf('account', accountId);

/** The commands about one account: they need that account, and If-Match names it. */
function onOneAccount<C extends { accountId: string }>(
  decide: (command: C, state: LedgerState, now: Date) => Decision[],
): CommandHandler<C> {
  return {
    requirements: (command) => ({ aggregates: [account(command.accountId)] }),
    decide,
    expectedVersionOf: (command) => account(command.accountId),
  };
}

export const ACCOUNT_COMMAND_HANDLERS: {
  readonly [T in AccountCommand['type']]: CommandHandler<Extract<AccountCommand, { type: T }>>;
} = {
  open_account: {
    requirements: (command) => ({ aggregates: [account(command.accountId)] }),
    decide: openAccount,
  },
  deposit: onOneAccount(deposit),
  withdraw: onOneAccount(withdraw),
  transfer: {
    requirements: (command) => ({
      aggregates: [account(command.fromAccountId), account(command.toAccountId)],
    }),
    decide: transfer,
  },
  reverse_charge: {
    requirements: (command) => ({
      aggregates: [account(command.accountId)],
      charges: [command.originalEventId],
    }),
    decide: reverseCharge,
  },
  freeze_account: onOneAccount(freeze),
  unfreeze_account: onOneAccount(unfreeze),
  record_correction: recordCorrectionHandler,
};

function openAccount(command: OpenAccountCommand, state: LedgerState): Decision[] {
  requireAccountId(command.accountId, 'id');
  const ownerId = requireText(command.ownerId, 'ownerId', OWNER_ID_MAX_LENGTH);
  const currency = requireCurrencyCode(command.currency);
  const existing = state.account.get(command.accountId);
  if (existing?.status === 'open') {
    throw new AppError('account_already_exists', `Account ${command.accountId} already exists.`, {
      fieldErrors: { id: 'An account with this id already exists.' },
    });
  }
  const initialMinor =
    command.initialBalance === undefined
      ? 0n
      : parseNonNegativeAmount(command.initialBalance, currency, 'initialBalance');
  const target = account(command.accountId);
  const events: Decision[] = [
    {
      target,
      event: {
        type: 'account_opened',
        schemaVersion: 1,
        data: { accountId: command.accountId, ownerId, currency },
      },
    },
  ];
  if (initialMinor > 0n) {
    events.push({
      target,
      event: {
        type: 'funds_deposited',
        schemaVersion: 1,
        data: { amountMinor: initialMinor, currency, source: 'initial_balance', reference: '' },
      },
    });
  }
  return events;
}

function deposit(command: DepositCommand, state: LedgerState): Decision[] {
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const amountMinor = parseAmount(command.amount, open.currency);
  requireRoomFor(open, amountMinor);
  const deposited: Decision = {
    target: account(open.accountId),
    event: {
      type: 'funds_deposited',
      schemaVersion: 1,
      data: {
        amountMinor,
        currency: open.currency,
        source: optionalText(command.source, 'source', REFERENCE_MAX_LENGTH),
        reference: optionalText(command.reference, 'reference', REFERENCE_MAX_LENGTH),
      },
    },
  };
  return [deposited, ...collectShortfalls(open, amountMinor)];
}

function withdraw(command: WithdrawCommand, state: LedgerState, now: Date): Decision[] {
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const amountMinor = parseAmount(command.amount, open.currency);
  requireNotFrozen(open);
  requireAvailable(open, amountMinor, now);
  return [
    {
      target: account(open.accountId),
      event: {
        type: 'funds_withdrawn',
        schemaVersion: 1,
        data: {
          amountMinor,
          currency: open.currency,
          destination: optionalText(command.destination, 'destination', REFERENCE_MAX_LENGTH),
          reference: optionalText(command.reference, 'reference', REFERENCE_MAX_LENGTH),
        },
      },
    },
  ];
}

function transfer(command: TransferCommand, state: LedgerState, now: Date): Decision[] {
  if (command.fromAccountId === command.toAccountId) {
    throw fieldError(
      'toAccountId',
      'An account cannot transfer to itself; choose a different destination.',
    );
  }
  const from = requireOpenAccount(state, command.fromAccountId, 'fromAccountId');
  const to = requireOpenAccount(state, command.toAccountId, 'toAccountId');
  if (from.currency !== to.currency) {
    throw new AppError(
      'currency_mismatch',
      `Account ${from.accountId} holds ${from.currency} but ${to.accountId} holds ${to.currency}; transfers cannot convert currencies.`,
      { fieldErrors: { toAccountId: `This account holds ${to.currency}, not ${from.currency}.` } },
    );
  }
  const amountMinor = parseAmount(command.amount, from.currency);
  requireNotFrozen(from);
  requireAvailable(from, amountMinor, now);
  requireRoomFor(to, amountMinor);
  const data = {
    transferId: requireText(command.transferId, 'transferId', 64),
    fromAccountId: from.accountId,
    toAccountId: to.accountId,
    amountMinor,
    currency: from.currency,
    reference: optionalText(command.reference, 'reference', REFERENCE_MAX_LENGTH),
  };
  return [
    {
      target: account(from.accountId),
      event: { type: 'transfer_initiated', schemaVersion: 1, data },
    },
    {
      target: account(to.accountId),
      event: { type: 'transfer_completed', schemaVersion: 1, data },
    },
    ...collectShortfalls(to, amountMinor),
  ];
}

function reverseCharge(command: ReverseChargeCommand, state: LedgerState): Decision[] {
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  const charge = state.charges.get(command.originalEventId);
  if (!charge || charge.accountId !== open.accountId) {
    throw new AppError(
      'not_reversible',
      `Event ${command.originalEventId} is not a charge of account ${open.accountId}. Only charges (withdrawals and captured holds) can be reversed, and a reversal cannot itself be reversed.`,
      { fieldErrors: { originalEventId: 'Only withdrawals and captured holds can be reversed.' } },
    );
  }
  const remainingMinor = reversibleMinor(charge);
  const disputed =
    charge.disputeId === null
      ? ''
      : ` (${formatAmount(charge.disputedMinor, open.currency, { grouping: true })} ${open.currency} is in dispute ${charge.disputeId} and follows its outcome)`;
  if (remainingMinor === 0n) {
    throw new AppError(
      'reversal_exceeds_original',
      disputed
        ? `Charge ${charge.eventId} has nothing left to reverse${disputed}.`
        : `Charge ${charge.eventId} has already been fully reversed.`,
      { fieldErrors: { amount: 'Nothing is left to reverse on this charge.' } },
    );
  }
  const amountMinor =
    command.amount === undefined ? remainingMinor : parseAmount(command.amount, open.currency);
  if (amountMinor > remainingMinor) {
    const left = formatAmount(remainingMinor, open.currency, { grouping: true });
    throw new AppError(
      'reversal_exceeds_original',
      `Only ${left} ${open.currency} of charge ${charge.eventId} is left to reverse${disputed}.`,
      { fieldErrors: { amount: `At most ${left} ${open.currency} can still be reversed.` } },
    );
  }
  requireRoomFor(open, amountMinor);
  return [
    {
      target: account(open.accountId),
      causationId: charge.eventId,
      event: {
        type: 'charge_reversed',
        schemaVersion: 1,
        data: { originalEventId: charge.eventId, amountMinor, currency: open.currency, reason },
      },
    },
  ];
}

function freeze(command: FreezeAccountCommand, state: LedgerState): Decision[] {
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  if (open.isFrozen) {
    throw new AppError('already_frozen', `Account ${open.accountId} is already frozen.`);
  }
  return [
    {
      target: account(open.accountId),
      event: { type: 'account_frozen', schemaVersion: 1, data: { reason } },
    },
  ];
}

function unfreeze(command: UnfreezeAccountCommand, state: LedgerState): Decision[] {
  const open = requireOpenAccount(state, command.accountId, 'accountId');
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  if (!open.isFrozen) {
    throw new AppError('not_frozen', `Account ${open.accountId} is not frozen.`);
  }
  return [
    {
      target: account(open.accountId),
      event: { type: 'account_unfrozen', schemaVersion: 1, data: { reason } },
    },
  ];
}
