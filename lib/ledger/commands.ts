// Everything callers can ask the ledger to do, and the one place that finds a command's rules.
// Each aggregate's folder defines its commands and handlers; this table joins them.

import { approvalCommandHandlers, type ApprovalCommand } from './approval/approval-commands';
import { ACCOUNT_COMMAND_HANDLERS, type AccountCommand } from './account/account-commands';
import type { DecidedEvent } from './aggregate';
import type { CommandHandler, Requirements } from './command-handler';
import { DISPUTE_COMMAND_HANDLERS, type DisputeCommand } from './dispute/dispute-commands';
import { HOLD_COMMAND_HANDLERS, type HoldCommand } from './hold/hold-commands';
import type { LedgerState } from './ledger-state';

/** The commands a request may hold for approval: any of the others. */
type HeldCommand = AccountCommand | HoldCommand | DisputeCommand;
export type LedgerCommand = HeldCommand | ApprovalCommand<HeldCommand>;
export type LedgerCommandType = LedgerCommand['type'];

const HANDLERS: {
  readonly [T in LedgerCommandType]: CommandHandler<Extract<LedgerCommand, { type: T }>>;
} = {
  ...ACCOUNT_COMMAND_HANDLERS,
  ...HOLD_COMMAND_HANDLERS,
  ...DISPUTE_COMMAND_HANDLERS,
  // Resolved when called, by which time the table is complete.
  ...approvalCommandHandlers<HeldCommand>({
    requirementsOf: (command) => requirementsOf(command),
    decide: (command, state, now) => handlerOf(command).decide(command, state, now),
  }),
};

function handlerOf<C extends LedgerCommand>(command: C): CommandHandler<C> {
  return HANDLERS[command.type] as unknown as CommandHandler<C>;
}

/** What the command reads and may write. */
export function requirementsOf(command: LedgerCommand): Requirements {
  return handlerOf(command).requirements(command);
}

/** The aggregate an If-Match on this command names, if the command takes one. */
export function expectedVersionTargetOf(command: LedgerCommand) {
  return handlerOf(command).expectedVersionOf?.(command);
}

/**
 * Decides what `command` records, given `state` and the instant `now` it takes effect. Throws an
 * `AppError` with a stable code when a rule refuses it.
 */
export function decide(command: LedgerCommand, state: LedgerState, now: Date): DecidedEvent[] {
  return handlerOf(command)
    .decide(command, state, now)
    .map((decided) => ({ ...decided, occurredAt: now }));
}
