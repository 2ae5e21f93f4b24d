// Reading approval requests: one by id, the inbox by status (newest first; each shows when it
// expires), and how many wait — for the header's count. "Expired" is read
// from the clock: pending rows past their expiry.

import { z } from 'zod';
import { APPROVAL_STATUSES, type ApprovalStatus } from '../../ledger/approval/approval-rules';
import { UUID_PATTERN } from '../../ledger/limits';
import {
  APPROVAL_COLUMNS,
  approvalRowToState,
  toApprovalRecord,
  type ApprovalRecord,
  type ApprovalRow,
} from '../aggregates/approval/approval-record';
import { getPool, type Queryable } from '../db/pool';

export const APPROVAL_PAGE_LIMIT = 100;

export const approvalListQuery = z.strictObject({
  status: z.enum(APPROVAL_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(APPROVAL_PAGE_LIMIT).default(50),
});

type Row = ApprovalRow & { now: Date };

function toRecord(row: Row): ApprovalRecord {
  return toApprovalRecord(approvalRowToState(row), { updatedAt: row.updated_at, instant: row.now });
}

export async function getApproval(
  approvalId: string,
  db: Queryable = getPool(),
): Promise<ApprovalRecord | null> {
  if (!UUID_PATTERN.test(approvalId)) return null;
  const result = await db.query<Row>(
    `SELECT ${APPROVAL_COLUMNS}, clock_timestamp() AS now FROM approval_requests a
      WHERE a.approval_id = $1::uuid`,
    [approvalId],
  );
  return result.rows[0] ? toRecord(result.rows[0]) : null;
}

/** Which stored rows a status is: expired and pending both live in `pending`, split by the clock. */
const STATUS_FILTER: Record<ApprovalStatus, string> = {
  pending: `a.status = 'pending' AND a.expires_at > clock_timestamp()`,
  expired: `a.status = 'pending' AND a.expires_at <= clock_timestamp()`,
  approved: `a.status = 'approved'`,
  rejected: `a.status = 'rejected'`,
  cancelled: `a.status = 'cancelled'`,
};

export async function listApprovals(
  query: { status?: ApprovalStatus | undefined; limit: number },
  db: Queryable = getPool(),
): Promise<ApprovalRecord[]> {
  const where = query.status ? STATUS_FILTER[query.status] : 'true';
  const result = await db.query<Row>(
    `SELECT ${APPROVAL_COLUMNS}, clock_timestamp() AS now FROM approval_requests a
      WHERE ${where} ORDER BY a.requested_at DESC, a.approval_id DESC LIMIT $1`,
    [query.limit],
  );
  return result.rows.map(toRecord);
}

/** How many requests wait for a decision now. */
export async function countPendingApprovals(db: Queryable = getPool()): Promise<number> {
  const result = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM approval_requests a WHERE ${STATUS_FILTER.pending}`,
  );
  return result.rows[0]?.count ?? 0;
}
