import type { CurrencyCode } from '../../ledger/currencies';
import { getPool, type Queryable } from '../db/pool';
import {
  ACCOUNT_COLUMNS,
  accountRowToRecord,
  type AccountRecord,
  type AccountRow,
} from '../aggregates/account/account-record';

export const ACCOUNT_PAGE_SIZE_MAX = 100;

export interface AccountFilters {
  /** Matches account ids and owner ids (case-insensitive substring). */
  readonly search?: string | undefined;
  readonly status?: 'active' | 'frozen' | undefined;
  readonly currency?: CurrencyCode | undefined;
  readonly ownerId?: string | undefined;
}

/** Accounts ordered by id, a page at a time: pass the last id of a page as `afterId` for the next. */
export async function listAccounts(options: {
  filters?: AccountFilters;
  afterId?: string | undefined;
  limit?: number;
  db?: Queryable;
}): Promise<{ accounts: AccountRecord[]; nextAfterId: string | null }> {
  const db = options.db ?? getPool();
  const limit = Math.max(1, Math.min(options.limit ?? 25, ACCOUNT_PAGE_SIZE_MAX));
  const filters = options.filters ?? {};
  const search = filters.search?.trim()
    ? `%${filters.search.trim().replace(/[\\%_]/g, (character) => `\\${character}`)}%`
    : null;
  const result = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts
      WHERE ($1::text IS NULL OR id ILIKE $1 OR owner_id ILIKE $1)
        AND ($2::bool IS NULL OR frozen = $2)
        AND ($3::text IS NULL OR currency = $3)
        AND ($4::text IS NULL OR owner_id = $4)
        AND ($5::text IS NULL OR id COLLATE "C" > $5)
      ORDER BY id COLLATE "C"
      LIMIT $6`,
    [
      search,
      filters.status === undefined ? null : filters.status === 'frozen',
      filters.currency ?? null,
      filters.ownerId ?? null,
      options.afterId ?? null,
      limit + 1,
    ],
  );
  const rows = result.rows.slice(0, limit);
  return {
    accounts: rows.map(accountRowToRecord),
    nextAfterId: result.rows.length > limit ? (rows[rows.length - 1]?.id ?? null) : null,
  };
}
