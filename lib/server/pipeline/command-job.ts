import type { LedgerCommand } from '../../ledger/commands';
import type { PoolClient } from '../db/pool';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-result';
import type { IdempotencyClaim } from './idempotency';

/** A command ready for the pipeline. */
export interface CommandJob {
  readonly command: LedgerCommand;
  readonly context: CommandContext;
  /** The idempotency key and request fingerprint; null for imported history, which has none. */
  readonly claim: IdempotencyClaim | null;
  readonly correlationId: string;
  /**
   * Imported history only: when the command happened. Live commands take effect at the database
   * clock's instant, read under lock.
   */
  readonly occurredAt?: Date;
  /** Imported history only: ids for the events it produces, when the caller must know them. */
  readonly eventIds?: readonly string[];
  /**
   * Work that must commit or fail together with the command's events, run in the same
   * transaction once they are recorded (an approved administrative action). Its AppError refuses
   * the command: nothing is recorded. Only for commands run alone.
   */
  readonly alongside?: (tx: PoolClient, result: CommandResult) => Promise<void>;
}
