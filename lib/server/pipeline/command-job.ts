import type { LedgerCommand } from '../../ledger/commands';
import type { CommandContext } from './command-context';
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
}
