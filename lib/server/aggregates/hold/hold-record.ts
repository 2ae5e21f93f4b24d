// A hold as the server reads it (HoldRecord) and as it is stored (HoldRow: the `holds`
// projection). The domain's own shape is HoldState (lib/ledger/hold/hold-state.ts).

import type { CurrencyCode } from '../../../ledger/currencies';
import type { RecordAnswers } from '../../pipeline/record-answers';
import {
  holdStatusAt,
  remainingAt,
  type HoldStatus,
  type PlacedHold,
} from '../../../ledger/hold/hold-state';

export interface HoldRecord {
  readonly id: string;
  readonly accountId: string;
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
  readonly capturedMinor: bigint;
  /** What it still reserves at the time of reading. */
  readonly remainingMinor: bigint;
  /** At the time of reading: an active hold past its expiry is `expired`, recorded or not. */
  readonly status: HoldStatus;
  readonly reason: string;
  readonly reference: string;
  readonly expiresAt: Date | null;
  readonly placedAt: Date;
  readonly version: number;
  readonly updatedAt: Date;
}

export function toHoldRecord(state: PlacedHold, updatedAt: Date, instant: Date): HoldRecord {
  return {
    id: state.holdId,
    accountId: state.accountId,
    currency: state.currency,
    amountMinor: state.amountMinor,
    capturedMinor: state.capturedMinor,
    remainingMinor: remainingAt(state, instant),
    status: holdStatusAt(state, instant),
    reason: state.reason,
    reference: state.reference,
    expiresAt: state.expiresAt,
    placedAt: state.placedAt,
    version: state.version,
    updatedAt,
  };
}

/** The columns of `holds` that `holdRowToState` reads. */
export const HOLD_COLUMNS = `hold_id::text AS hold_id, account_id, currency, amount_minor::text AS amount_minor,
  captured_minor::text AS captured_minor, status, reason, reference, expires_at, placed_at, version,
  last_occurred_at, last_event_hash, updated_at`;

export interface HoldRow {
  hold_id: string;
  account_id: string;
  currency: string;
  amount_minor: string;
  captured_minor: string;
  status: HoldStatus;
  reason: string;
  reference: string;
  expires_at: Date | null;
  placed_at: Date;
  version: number;
  last_occurred_at: Date;
  last_event_hash: string;
  updated_at: Date;
}

export function holdRowToState(row: HoldRow): PlacedHold {
  return {
    status: row.status,
    holdId: row.hold_id,
    accountId: row.account_id,
    currency: row.currency as CurrencyCode,
    amountMinor: BigInt(row.amount_minor),
    capturedMinor: BigInt(row.captured_minor),
    expiresAt: row.expires_at,
    reason: row.reason,
    reference: row.reference,
    version: row.version,
    placedAt: row.placed_at,
    lastOccurredAt: row.last_occurred_at,
  };
}

/** A stored hold as the server reads it at `instant` (normally the database's `now()`). */
export function holdRowToRecord(row: HoldRow, instant: Date): HoldRecord {
  return toHoldRecord(holdRowToState(row), row.updated_at, instant);
}

/** A hold record as a command's stored answer keeps it (JSON: amounts as digit strings). */
interface StoredHoldRecord {
  id: string;
  accountId: string;
  currency: CurrencyCode;
  amountMinor: string;
  capturedMinor: string;
  remainingMinor: string;
  status: HoldStatus;
  reason: string;
  reference: string;
  expiresAt: string | null;
  placedAt: string;
  version: number;
  updatedAt: string;
}

export const holdRecordAnswers: RecordAnswers<HoldRecord> = {
  of: (after, id, { updatedAt, at }) =>
    toHoldRecord(after.hold.get(id) as PlacedHold, updatedAt, at),
  encode: (hold): StoredHoldRecord => ({
    ...hold,
    amountMinor: hold.amountMinor.toString(),
    capturedMinor: hold.capturedMinor.toString(),
    remainingMinor: hold.remainingMinor.toString(),
    expiresAt: hold.expiresAt?.toISOString() ?? null,
    placedAt: hold.placedAt.toISOString(),
    updatedAt: hold.updatedAt.toISOString(),
  }),
  decode: (stored) => {
    const hold = stored as StoredHoldRecord;
    return {
      ...hold,
      amountMinor: BigInt(hold.amountMinor),
      capturedMinor: BigInt(hold.capturedMinor),
      remainingMinor: BigInt(hold.remainingMinor),
      expiresAt: hold.expiresAt === null ? null : new Date(hold.expiresAt),
      placedAt: new Date(hold.placedAt),
      updatedAt: new Date(hold.updatedAt),
    };
  },
};
