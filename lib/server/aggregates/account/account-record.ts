// An account as the server reads it (AccountRecord: pages, API answers, command results), and as
// it is stored (AccountRow: the `accounts` projection). The domain's own shape is AccountState
// (lib/ledger/account/account-state.ts); the API's is AccountResource, the pages' AccountViewModel.

import { heldAt, outstandingOf, type OpenAccount } from '../../../ledger/account/account-state';
import type { CurrencyCode } from '../../../ledger/currencies';
import type { RecordAnswers } from '../../pipeline/record-answers';

export interface AccountRecord {
  readonly id: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  /** What has been posted. */
  readonly balanceMinor: bigint;
  /** What active holds reserve of it, at the time of reading. */
  readonly heldMinor: bigint;
  /** What lost disputes left the account owing: not available, paid off by incoming funds. */
  readonly owedMinor: bigint;
  readonly frozen: boolean;
  readonly frozenReason: string | null;
  readonly version: number;
  readonly openedAt: Date;
  /** When the account's latest event took effect (occurred at). */
  readonly lastEventAt: Date;
  /** When the projection row was last written (database clock). */
  readonly updatedAt: Date;
}

/** What may leave the account: the balance less what holds reserve and what it owes (at least 0). */
export function availableMinorOf(
  account: Pick<AccountRecord, 'balanceMinor' | 'heldMinor' | 'owedMinor'>,
) {
  const unreserved = account.balanceMinor - account.heldMinor;
  return unreserved > account.owedMinor ? unreserved - account.owedMinor : 0n;
}

/** The account's state as the server shows it at `instant` (holds expire by the clock). */
export function toAccountRecord(state: OpenAccount, updatedAt: Date, instant: Date): AccountRecord {
  return {
    id: state.accountId,
    ownerId: state.ownerId,
    currency: state.currency,
    balanceMinor: state.balanceMinor,
    heldMinor: heldAt(state, instant),
    owedMinor: outstandingOf(state),
    frozen: state.isFrozen,
    frozenReason: state.frozenReason,
    version: state.version,
    openedAt: state.openedAt,
    lastEventAt: state.lastOccurredAt,
    updatedAt,
  };
}

/**
 * The columns of `accounts` that `accountRowToRecord` reads, with what the account's holds reserve
 * now (holds stop reserving at their expiry, recorded or not).
 */
export const ACCOUNT_COLUMNS = `accounts.id, accounts.owner_id, accounts.currency,
  accounts.balance_minor::text AS balance_minor, accounts.frozen, accounts.frozen_reason,
  accounts.version, accounts.opened_at, accounts.updated_at, accounts.last_occurred_at, accounts.last_event_hash,
  (SELECT coalesce(sum(h.remaining_minor), 0) FROM account_holds h
    WHERE h.account_id = accounts.id AND (h.expires_at IS NULL OR h.expires_at > now()))::text AS held_minor,
  (SELECT coalesce(sum((s.value->>'outstandingMinor')::bigint), 0)
     FROM jsonb_array_elements(accounts.shortfalls) AS s(value))::text AS owed_minor`;

export interface AccountRow {
  id: string;
  owner_id: string;
  currency: string;
  balance_minor: string;
  held_minor: string;
  owed_minor: string;
  frozen: boolean;
  frozen_reason: string | null;
  version: number;
  opened_at: Date;
  updated_at: Date;
  last_occurred_at: Date;
  last_event_hash: string;
}

export function accountRowToRecord(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    currency: row.currency as CurrencyCode,
    balanceMinor: BigInt(row.balance_minor),
    heldMinor: BigInt(row.held_minor),
    owedMinor: BigInt(row.owed_minor),
    frozen: row.frozen,
    frozenReason: row.frozen_reason,
    version: row.version,
    openedAt: row.opened_at,
    lastEventAt: row.last_occurred_at,
    updatedAt: row.updated_at,
  };
}

/** An account record as a command's stored answer keeps it (JSON: amounts as digit strings). */
interface StoredAccountRecord {
  id: string;
  ownerId: string;
  currency: CurrencyCode;
  balanceMinor: string;
  /** Absent in answers stored before holds existed. */
  heldMinor?: string;
  /** Absent in answers stored before dispute cases existed. */
  owedMinor?: string;
  frozen: boolean;
  frozenReason: string | null;
  version: number;
  openedAt: string;
  lastEventAt: string;
  updatedAt: string;
}

export const accountRecordAnswers: RecordAnswers<AccountRecord> = {
  of: (after, id, { updatedAt, at }) =>
    toAccountRecord(after.account.get(id) as OpenAccount, updatedAt, at),
  encode: (account): StoredAccountRecord => ({
    ...account,
    balanceMinor: account.balanceMinor.toString(),
    heldMinor: account.heldMinor.toString(),
    owedMinor: account.owedMinor.toString(),
    openedAt: account.openedAt.toISOString(),
    lastEventAt: account.lastEventAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  }),
  decode: (stored) => {
    const account = stored as StoredAccountRecord;
    return {
      ...account,
      balanceMinor: BigInt(account.balanceMinor),
      heldMinor: BigInt(account.heldMinor ?? '0'),
      owedMinor: BigInt(account.owedMinor ?? '0'),
      openedAt: new Date(account.openedAt),
      lastEventAt: new Date(account.lastEventAt),
      updatedAt: new Date(account.updatedAt),
    };
  },
};
