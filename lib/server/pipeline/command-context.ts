import type { Person } from '../../ledger/approval/approval-rules';
import type { Pool } from '../db/pool';
import type { Notifier } from '../notifications/notifier';

/** Who runs a command and how: what every use case passes to the pipeline. */
export interface CommandContext {
  /** Who is acting: `user:<id>`, `api_key:<id>`, `system:<job>`. Also the idempotency scope. */
  readonly actor: string;
  /**
   * The person acting (a signed-in user, or the owner of the API key): whom four-eyes rules
   * compare. Absent only for the system's own jobs and imports, which the approval policy never
   * holds.
   */
  readonly person?: Person;
  readonly idempotencyKey: string;
  readonly correlationId?: string;
  readonly requestId?: string;
  /** When set (HTTP If-Match), the command's aggregate must be at exactly this version. */
  readonly expectedVersion?: number;
  readonly db?: Pool;
  readonly notifier?: Notifier;
  /**
   * False runs the command in a transaction of its own instead of letting it share one with
   * commands that arrive at the same moment. Tests that race connections against each other use it.
   */
  readonly batching?: boolean;
}
