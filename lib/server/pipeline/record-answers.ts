// How a command answers for one kind of aggregate it touched: the record the server shows of it
// (an AccountRecord, a HoldRecord, …) right after the command, and that record's JSON form in the
// answer stored with the idempotency key. Each aggregate registers one (lib/server/aggregates/
// stores.ts); the pipeline knows no kind.

import type { LedgerState } from '../../ledger/ledger-state';

export interface RecordAnswers<R> {
  /** The aggregate `id` as it stands in `after`, read at instant `at`. */
  of(after: LedgerState, id: string, context: { updatedAt: Date; at: Date }): R;
  encode(record: R): object;
  /** The inverse of encode, also for answers stored by earlier versions. */
  decode(stored: unknown): R;
}
