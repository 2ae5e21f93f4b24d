import type { HoldStatus } from '../../ledger/hold/hold-state';
import { getPool, type Queryable } from '../db/pool';
import {
  holdRowToRecord,
  HOLD_COLUMNS,
  type HoldRecord,
  type HoldRow,
} from '../aggregates/hold/hold-record';

export const HOLD_PAGE_SIZE_MAX = 100;

/**
 * An account's holds, newest first, a page at a time: pass the last id of a page as `beforeId`
 * for the next. `status` is as of now: an active hold past its expiry counts as expired, whether
 * or not the sweeper has recorded it yet.
 */
export async function listHolds(options: {
  accountId: string;
  status?: HoldStatus | undefined;
  beforeId?: string | undefined;
  limit?: number;
  db?: Queryable;
}): Promise<{ holds: HoldRecord[]; nextBeforeId: string | null }> {
  const db = options.db ?? getPool();
  const limit = Math.max(1, Math.min(options.limit ?? 25, HOLD_PAGE_SIZE_MAX));
  const result = await db.query<HoldRow & { read_at: Date }>(
    `SELECT ${HOLD_COLUMNS}, now() AS read_at FROM holds
      WHERE account_id = $1
        AND ($2::uuid IS NULL OR hold_id < $2)
        AND CASE $3::text
              WHEN 'active' THEN status = 'active' AND (expires_at IS NULL OR expires_at > now())
              WHEN 'expired' THEN status = 'expired' OR (status = 'active' AND expires_at <= now())
              WHEN 'captured' THEN status = 'captured'
              WHEN 'released' THEN status = 'released'
              ELSE true
            END
      ORDER BY holds.hold_id DESC
      LIMIT $4`,
    [options.accountId, options.beforeId ?? null, options.status ?? null, limit + 1],
  );
  const rows = result.rows.slice(0, limit);
  return {
    holds: rows.map((row) => holdRowToRecord(row, row.read_at)),
    nextBeforeId: result.rows.length > limit ? (rows[rows.length - 1]?.hold_id ?? null) : null,
  };
}
