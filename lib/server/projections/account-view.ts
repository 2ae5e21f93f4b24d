import type { OpenAccount } from '../../ledger/account';
import type { CurrencyCode } from '../../ledger/currencies';

/** An account as the rest of the application reads it (pages, API responses, command results). */
export interface AccountView {
  readonly id: string;
  readonly ownerId: string;
  readonly currency: CurrencyCode;
  readonly balanceMinor: bigint;
  readonly frozen: boolean;
  readonly frozenReason: string | null;
  readonly version: number;
  readonly openedAt: Date;
  /** When the account's latest event took effect (occurred at). */
  readonly lastEventAt: Date;
  /** When the projection row was last written (database clock). */
  readonly updatedAt: Date;
}

export function toAccountView(state: OpenAccount, updatedAt: Date): AccountView {
  return {
    id: state.accountId,
    ownerId: state.ownerId,
    currency: state.currency,
    balanceMinor: state.balanceMinor,
    frozen: state.isFrozen,
    frozenReason: state.frozenReason,
    version: state.version,
    openedAt: state.openedAt,
    lastEventAt: state.lastOccurredAt,
    updatedAt,
  };
}

/** The columns of `accounts` that `accountRowToState` and `accountRowToView` read. */
export const ACCOUNT_COLUMNS = `id, owner_id, currency, balance_minor::text AS balance_minor, frozen, frozen_reason,
  version, opened_at, updated_at, last_occurred_at, last_event_hash`;

export interface AccountRow {
  id: string;
  owner_id: string;
  currency: string;
  balance_minor: string;
  frozen: boolean;
  frozen_reason: string | null;
  version: number;
  opened_at: Date;
  updated_at: Date;
  last_occurred_at: Date;
  last_event_hash: string;
}

export function accountRowToState(row: AccountRow): OpenAccount {
  return {
    status: 'open',
    accountId: row.id,
    ownerId: row.owner_id,
    currency: row.currency as CurrencyCode,
    balanceMinor: BigInt(row.balance_minor),
    isFrozen: row.frozen,
    frozenReason: row.frozen_reason,
    version: row.version,
    openedAt: row.opened_at,
    lastOccurredAt: row.last_occurred_at,
  };
}

export function accountRowToView(row: AccountRow): AccountView {
  return toAccountView(accountRowToState(row), row.updated_at);
}
