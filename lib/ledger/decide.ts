// The decider: given a command, the current state of the accounts it touches and the instant
// it happens, decide which events to record, or refuse with a typed error. Pure: no I/O, no
// clock, no randomness. Callers load state, call `decide`, and append what it returns.

import { AppError, fieldError } from '../errors';
import type { AccountState, ChargeState, OpenAccount } from './account';
import type {
  DepositCommand,
  FreezeAccountCommand,
  LedgerCommand,
  OpenAccountCommand,
  ReverseChargeCommand,
  TransferCommand,
  UnfreezeAccountCommand,
  WithdrawCommand,
} from './commands';
import type { LedgerEvent } from './events';
import {
  ACCOUNT_ID_PATTERN,
  OWNER_ID_MAX_LENGTH,
  REASON_MAX_LENGTH,
  REFERENCE_MAX_LENGTH,
  isWellFormedText,
} from './limits';
import {
  MAX_BALANCE_MINOR,
  formatAmount,
  parseAmount,
  parseNonNegativeAmount,
  requireCurrencyCode,
} from './money';

/** What the decider may look at: the accounts and charges the command concerns. */
export interface LedgerState {
  readonly accounts: ReadonlyMap<string, AccountState>;
  readonly charges: ReadonlyMap<string, ChargeState>;
}

/** An event the decider wants recorded on an account's stream. */
export interface DecidedEvent {
  readonly accountId: string;
  readonly event: LedgerEvent;
  /** When the movement takes effect: the `now` the decider was given. */
  readonly occurredAt: Date;
  /** The event that caused this one, when there is one (the charge a reversal reverses). */
  readonly causationId?: string;
}

type Decision = Omit<DecidedEvent, 'occurredAt'>[];

/**
 * Decides what `command` records, given `state` and the instant `now` it takes effect. Throws an
 * `AppError` with a stable code when a rule refuses it.
 */
export function decide(command: LedgerCommand, state: LedgerState, now: Date): DecidedEvent[] {
  return decideEvents(command, state).map((decided) => ({ ...decided, occurredAt: now }));
}

function decideEvents(command: LedgerCommand, state: LedgerState): Decision {
  switch (command.type) {
    case 'open_account':
      return openAccount(command, state);
    case 'deposit':
      return deposit(command, state);
    case 'withdraw':
      return withdraw(command, state);
    case 'transfer':
      return transfer(command, state);
    case 'reverse_charge':
      return reverseCharge(command, state);
    case 'freeze_account':
      return freeze(command, state);
    case 'unfreeze_account':
      return unfreeze(command, state);
  }
}

function openAccount(command: OpenAccountCommand, state: LedgerState): Decision {
  requireAccountId(command.accountId, 'id');
  const ownerId = requireText(command.ownerId, 'ownerId', OWNER_ID_MAX_LENGTH);
  const currency = requireCurrencyCode(command.currency);
  const existing = state.accounts.get(command.accountId);
  if (existing?.status === 'open') {
    throw new AppError('account_already_exists', `Account ${command.accountId} already exists.`, {
      fieldErrors: { id: 'An account with this id already exists.' },
    });
  }
  const initialMinor =
    command.initialBalance === undefined
      ? 0n
      : parseNonNegativeAmount(command.initialBalance, currency, 'initialBalance');
  const events: Decision = [
    {
      accountId: command.accountId,
      event: {
        type: 'account_opened',
        schemaVersion: 1,
        data: { accountId: command.accountId, ownerId, currency },
      },
    },
  ];
  if (initialMinor > 0n) {
    events.push({
      accountId: command.accountId,
      event: {
        type: 'funds_deposited',
        schemaVersion: 1,
        data: {
          amountMinor: initialMinor,
          currency,
          source: 'initial_balance',
          reference: '',
        },
      },
    });
  }
  return events;
}

function deposit(command: DepositCommand, state: LedgerState): Decision {
  const account = requireOpenAccount(state, command.accountId, 'accountId');
  const amountMinor = parseAmount(command.amount, account.currency);
  requireRoomFor(account, amountMinor);
  return [
    {
      accountId: account.accountId,
      event: {
        type: 'funds_deposited',
        schemaVersion: 1,
        data: {
          amountMinor,
          currency: account.currency,
          source: optionalText(command.source, 'source', REFERENCE_MAX_LENGTH),
          reference: optionalText(command.reference, 'reference', REFERENCE_MAX_LENGTH),
        },
      },
    },
  ];
}

function withdraw(command: WithdrawCommand, state: LedgerState): Decision {
  const account = requireOpenAccount(state, command.accountId, 'accountId');
  const amountMinor = parseAmount(command.amount, account.currency);
  requireNotFrozen(account);
  requireFunds(account, amountMinor);
  return [
    {
      accountId: account.accountId,
      event: {
        type: 'funds_withdrawn',
        schemaVersion: 1,
        data: {
          amountMinor,
          currency: account.currency,
          destination: optionalText(command.destination, 'destination', REFERENCE_MAX_LENGTH),
          reference: optionalText(command.reference, 'reference', REFERENCE_MAX_LENGTH),
        },
      },
    },
  ];
}

function transfer(command: TransferCommand, state: LedgerState): Decision {
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
  requireFunds(from, amountMinor);
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
    { accountId: from.accountId, event: { type: 'transfer_initiated', schemaVersion: 1, data } },
    { accountId: to.accountId, event: { type: 'transfer_completed', schemaVersion: 1, data } },
  ];
}

function reverseCharge(command: ReverseChargeCommand, state: LedgerState): Decision {
  const account = requireOpenAccount(state, command.accountId, 'accountId');
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  const charge = state.charges.get(command.originalEventId);
  if (!charge || charge.accountId !== account.accountId) {
    throw new AppError(
      'not_reversible',
      `Event ${command.originalEventId} is not a withdrawal of account ${account.accountId}. Only withdrawals can be reversed, and a reversal cannot itself be reversed.`,
      { fieldErrors: { originalEventId: 'Only withdrawals can be reversed.' } },
    );
  }
  const remainingMinor = charge.amountMinor - charge.reversedMinor;
  if (remainingMinor === 0n) {
    throw new AppError(
      'reversal_exceeds_original',
      `Charge ${charge.eventId} has already been fully reversed.`,
      {
        fieldErrors: { amount: 'Nothing is left to reverse on this charge.' },
      },
    );
  }
  const amountMinor =
    command.amount === undefined ? remainingMinor : parseAmount(command.amount, account.currency);
  if (amountMinor > remainingMinor) {
    const left = formatAmount(remainingMinor, account.currency, { grouping: true });
    throw new AppError(
      'reversal_exceeds_original',
      `Only ${left} ${account.currency} of charge ${charge.eventId} is left to reverse.`,
      { fieldErrors: { amount: `At most ${left} ${account.currency} can still be reversed.` } },
    );
  }
  requireRoomFor(account, amountMinor);
  return [
    {
      accountId: account.accountId,
      causationId: charge.eventId,
      event: {
        type: 'charge_reversed',
        schemaVersion: 1,
        data: { originalEventId: charge.eventId, amountMinor, currency: account.currency, reason },
      },
    },
  ];
}

function freeze(command: FreezeAccountCommand, state: LedgerState): Decision {
  const account = requireOpenAccount(state, command.accountId, 'accountId');
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  if (account.isFrozen) {
    throw new AppError('already_frozen', `Account ${account.accountId} is already frozen.`);
  }
  return [
    {
      accountId: account.accountId,
      event: { type: 'account_frozen', schemaVersion: 1, data: { reason } },
    },
  ];
}

function unfreeze(command: UnfreezeAccountCommand, state: LedgerState): Decision {
  const account = requireOpenAccount(state, command.accountId, 'accountId');
  const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
  if (!account.isFrozen) {
    throw new AppError('not_frozen', `Account ${account.accountId} is not frozen.`);
  }
  return [
    {
      accountId: account.accountId,
      event: { type: 'account_unfrozen', schemaVersion: 1, data: { reason } },
    },
  ];
}

function requireOpenAccount(state: LedgerState, accountId: string, field: string): OpenAccount {
  requireAccountId(accountId, field);
  const account = state.accounts.get(accountId);
  if (account?.status !== 'open') {
    throw new AppError('not_found', `Account ${accountId} does not exist.`, {
      fieldErrors: { [field]: 'No account has this id.' },
    });
  }
  return account;
}

function requireAccountId(accountId: string, field: string): void {
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw fieldError(field, 'An account id is 1 to 64 letters, digits, "-" or "_".');
  }
}

function requireNotFrozen(account: OpenAccount): void {
  if (account.isFrozen) {
    throw new AppError(
      'account_frozen',
      `Account ${account.accountId} is frozen${account.frozenReason ? ` (${account.frozenReason})` : ''}; money cannot leave it until it is unfrozen.`,
    );
  }
}

function requireFunds(account: OpenAccount, amountMinor: bigint): void {
  if (amountMinor > account.balanceMinor) {
    const balance = formatAmount(account.balanceMinor, account.currency, { grouping: true });
    throw new AppError(
      'insufficient_funds',
      `Account ${account.accountId} holds ${balance} ${account.currency}, less than the ${formatAmount(amountMinor, account.currency, { grouping: true })} requested.`,
      { fieldErrors: { amount: `The balance is only ${balance} ${account.currency}.` } },
    );
  }
}

function requireRoomFor(account: OpenAccount, amountMinor: bigint): void {
  if (account.balanceMinor + amountMinor > MAX_BALANCE_MINOR) {
    throw new AppError(
      'balance_limit_exceeded',
      `Account ${account.accountId} would exceed the maximum balance.`,
    );
  }
}

function requireText(value: unknown, field: string, maxLength: number): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw fieldError(field, `${labelOf(field)} is required.`);
  requireWellFormed(trimmed, field);
  if (trimmed.length > maxLength)
    throw fieldError(field, `${labelOf(field)} is at most ${maxLength} characters.`);
  return trimmed;
}

function optionalText(value: unknown, field: string, maxLength: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw fieldError(field, `${labelOf(field)} must be text.`);
  const trimmed = value.trim();
  requireWellFormed(trimmed, field);
  if (trimmed.length > maxLength)
    throw fieldError(field, `${labelOf(field)} is at most ${maxLength} characters.`);
  return trimmed;
}

/** Text without UTF-8 form cannot be stored; refused here so that it never reaches a batch's insert. */
function requireWellFormed(value: string, field: string): void {
  if (!isWellFormedText(value))
    throw fieldError(field, `${labelOf(field)} contains an unpaired UTF-16 surrogate.`);
}

function labelOf(field: string): string {
  const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
