// The reading half of a command: lock the accounts it touches and read them, with the database
// clock, and the charges a reversal needs.

import type { AccountState, ChargeState } from '../../ledger/account';
import type { LedgerState } from '../../ledger/decide';
import { UUID_PATTERN } from '../../ledger/limits';
import { namedStatement, type PoolClient } from '../db/pool';
import type { StreamHead } from '../event-store/types';
import { ACCOUNT_COLUMNS, accountRowToState, type AccountRow } from '../projections/account-view';

export interface LoadedState {
  readonly state: LedgerState;
  readonly heads: Map<string, StreamHead>;
  /** When the decisions take effect: the database clock, never behind an account's last event. */
  readonly now: Date;
}

export interface LockedRow extends AccountRow {
  now: Date;
}

/**
 * Turns the rows of a locking statement into decider state. Rows with a null id are the outer
 * join's placeholder when no account exists yet.
 */
export function toLoadedState(rows: LockedRow[], charges: Map<string, ChargeState>): LoadedState {
  let now = rows[0]?.now as Date;
  const accounts = new Map<string, AccountState>();
  const heads = new Map<string, StreamHead>();
  for (const row of rows) {
    if (row.id === null) continue;
    const account = accountRowToState(row);
    accounts.set(row.id, account);
    heads.set(row.id, {
      version: account.version,
      hash: row.last_event_hash,
      occurredAt: account.lastOccurredAt,
    });
    // Time never runs backwards inside a stream, even if the database clock is stepped back.
    if (account.lastOccurredAt.getTime() > now.getTime()) now = account.lastOccurredAt;
  }
  return { state: { accounts, charges }, heads, now };
}

export interface StoredKeyRow {
  scope: string;
  key: string;
  request_hash: string;
  result: unknown;
}

const lockAccountRows = namedStatement<LockedRow>(
  'lock_accounts',
  // The accounts locked in a fixed order, so that overlapping batches and transfers cannot
  // deadlock, and the database clock. The outer join returns one row even when no account exists
  // yet.
  `WITH locked AS (
     SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE
   )
   SELECT locked.*, date_trunc('milliseconds', clock_timestamp()) AS now
     FROM (SELECT 1) AS one LEFT JOIN locked ON true`,
);

/** Locks the accounts (in id order) and reads them, with the database clock. */
export async function lockAccounts(tx: PoolClient, accountIds: string[]): Promise<LockedRow[]> {
  return (await lockAccountRows(tx, [accountIds])).rows;
}

const selectStoredKeys = namedStatement<StoredKeyRow>(
  'select_stored_keys',
  `SELECT k.scope, k.key, k.request_hash, k.result
     FROM unnest($1::text[], $2::text[]) AS wanted(scope, key)
     JOIN idempotency_keys k ON k.scope = wanted.scope AND k.key = wanted.key`,
);

/**
 * What earlier requests stored under these idempotency keys. Called after the accounts are
 * locked, in a statement of its own: its snapshot then includes every request that committed
 * while this transaction waited for the locks, so a retry whose first attempt won the race gets
 * that attempt's answer instead of being decided against its effect.
 */
export async function findStoredKeys(
  tx: PoolClient,
  claims: ReadonlyArray<{ scope: string; key: string }>,
): Promise<StoredKeyRow[]> {
  if (claims.length === 0) return [];
  return (
    await selectStoredKeys(tx, [
      claims.map((claim) => claim.scope),
      claims.map((claim) => claim.key),
    ])
  ).rows;
}

const selectCharges = namedStatement<{
  event_id: string;
  account_id: string;
  amount_minor: string;
  reversed_minor: string;
}>(
  'select_charges',
  `SELECT event_id::text AS event_id, account_id, amount_minor::text AS amount_minor, reversed_minor::text AS reversed_minor
     FROM charges WHERE event_id = ANY($1::uuid[])`,
);

/**
 * The charges with these event ids. Read after the accounts are locked, in a statement of its own,
 * so it sees reversals that committed while this transaction waited for the locks.
 */
export async function loadCharges(
  tx: PoolClient,
  eventIds: string[],
): Promise<Map<string, ChargeState>> {
  const ids = eventIds.filter((id) => UUID_PATTERN.test(id));
  const charges = new Map<string, ChargeState>();
  if (ids.length === 0) return charges;
  for (const row of (await selectCharges(tx, [ids])).rows) {
    charges.set(row.event_id, {
      eventId: row.event_id,
      accountId: row.account_id,
      amountMinor: BigInt(row.amount_minor),
      reversedMinor: BigInt(row.reversed_minor),
    });
  }
  return charges;
}
