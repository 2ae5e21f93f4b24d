// What callers can ask the ledger to do. Amounts arrive as decimal strings in the account's
// currency; the decider parses them once it knows which currency applies.

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

export type LedgerCommand =
  | OpenAccountCommand
  | DepositCommand
  | WithdrawCommand
  | TransferCommand
  | ReverseChargeCommand
  | FreezeAccountCommand
  | UnfreezeAccountCommand;

export type LedgerCommandType = LedgerCommand['type'];

/** The accounts a command reads and may write, in the order their locks must be taken. */
export function accountsTouchedBy(command: LedgerCommand): string[] {
  const ids =
    command.type === 'transfer'
      ? [command.fromAccountId, command.toAccountId]
      : [command.accountId];
  return [...new Set(ids)].sort();
}
