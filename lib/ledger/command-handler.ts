// The shape every command's rules take. A command declares what it needs (the aggregates it reads
// and may write, and any charges it reads) and decides, from their state and the instant, which
// events to record — or refuses with a typed error. Pure: no I/O, no clock, no randomness.

import type { AggregateRef, DecidedEvent } from './aggregate';
import type { LedgerState } from './ledger-state';

export interface Requirements {
  /**
   * The aggregates the command reads and may write, in the order its result shows them. The
   * pipeline locks them (in the one global order, whatever the order here) and loads their state.
   */
  readonly aggregates: readonly AggregateRef[];
  /** Charges the command reads (a reversal's). Their account's lock protects them. */
  readonly charges?: readonly string[];
  /** Accounts whose lowest balance (as now known) from an instant on the command reads. */
  readonly lowestBalances?: ReadonlyArray<{ readonly accountId: string; readonly since: Date }>;
}

/** An event decided by a command, before the pipeline stamps it with the instant. */
export type Decision = Omit<DecidedEvent, 'occurredAt'>;

export interface CommandHandler<C> {
  requirements(command: C): Requirements;
  decide(command: C, state: LedgerState, now: Date): Decision[];
  /** The aggregate whose version an If-Match names; commands without one take no If-Match. */
  expectedVersionOf?(command: C): AggregateRef;
}
