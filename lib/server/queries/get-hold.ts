import { UUID_PATTERN } from '../../ledger/limits';
import { getPool, type Queryable } from '../db/pool';
import {
  holdRowToRecord,
  HOLD_COLUMNS,
  type HoldRecord,
  type HoldRow,
} from '../aggregates/hold/hold-record';

/** A hold as it stands now (an active hold past its expiry reads as expired); null if none. */
export async function getHold(options: {
  holdId: string;
  db?: Queryable;
}): Promise<HoldRecord | null> {
  if (!UUID_PATTERN.test(options.holdId)) return null;
  const db = options.db ?? getPool();
  const result = await db.query<HoldRow & { read_at: Date }>(
    `SELECT ${HOLD_COLUMNS}, now() AS read_at FROM holds WHERE hold_id = $1`,
    [options.holdId],
  );
  const row = result.rows[0];
  return row ? holdRowToRecord(row, row.read_at) : null;
}
