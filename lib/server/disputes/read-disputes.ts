// Reading cases: one by id, a filtered page of the queue, the counts the queue shows. Each record
// carries what the account still owes of its provisional credit (the account's shortfalls) and
// whether it is overdue as of the database's clock.

import { AppError } from '../../errors';
import { AWAITING_RESPONSE, type DisputeStatus } from '../../ledger/dispute/dispute-rules';
import { UUID_PATTERN } from '../../ledger/limits';
import type { ListDisputesQuery } from '../../schemas/api-resources';
import { getPool, type Queryable } from '../db/pool';
import {
  DISPUTE_COLUMNS,
  disputeRowToState,
  toDisputeRecord,
  type DisputeRecord,
  type DisputeRow,
} from '../aggregates/dispute/dispute-record';

type ReadRow = DisputeRow & { outstanding_minor: string | null; read_at: Date };

const READ_COLUMNS = `${DISPUTE_COLUMNS},
  (SELECT s.value->>'outstandingMinor' FROM accounts a, jsonb_array_elements(a.shortfalls) AS s(value)
    WHERE a.id = d.account_id AND s.value->>'disputeId' = d.dispute_id::text) AS outstanding_minor,
  now() AS read_at`;

function toRecord(row: ReadRow): DisputeRecord {
  return toDisputeRecord(disputeRowToState(row), {
    outstandingMinor: BigInt(row.outstanding_minor ?? '0'),
    updatedAt: row.updated_at,
    instant: row.read_at,
  });
}

export async function getDispute(
  disputeId: string,
  db: Queryable = getPool(),
): Promise<DisputeRecord | null> {
  if (!UUID_PATTERN.test(disputeId)) return null;
  const found = await db.query<ReadRow>(
    `SELECT ${READ_COLUMNS} FROM disputes d WHERE d.dispute_id = $1`,
    [disputeId],
  );
  const row = found.rows[0];
  return row ? toRecord(row) : null;
}

/** A page of cases matching the filters: newest first, or soonest due first. */
export async function listDisputes(
  query: ListDisputesQuery,
  db: Queryable = getPool(),
): Promise<{ items: DisputeRecord[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.status) where.push(`d.status = ${param(query.status)}`);
  if (query.reasonCode) where.push(`d.reason_code = ${param(query.reasonCode)}`);
  if (query.accountId) where.push(`d.account_id = ${param(query.accountId)}`);
  if (query.assignee === 'none') where.push('d.assignee_id IS NULL');
  else if (query.assignee) where.push(`d.assignee_id = ${param(query.assignee.toLowerCase())}`);
  if (query.overdue !== undefined) {
    const overdue = `(d.status = ANY(${param(AWAITING_RESPONSE)}::text[]) AND d.due_by <= now())`;
    where.push(query.overdue ? overdue : `NOT ${overdue}`);
  }
  const urgent = query.sort === 'urgent';
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    where.push(
      urgent
        ? `(d.due_by, d.dispute_id) > (${param(cursor.dueBy)}::timestamptz, ${param(cursor.id)}::uuid)`
        : `d.dispute_id < ${param(cursor.id)}::uuid`,
    );
  }
  const order = urgent ? 'd.due_by, d.dispute_id' : 'd.dispute_id DESC';
  const found = await db.query<ReadRow>(
    `SELECT ${READ_COLUMNS} FROM disputes d
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order} LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const rows = found.rows.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    items: rows.map(toRecord),
    nextCursor:
      found.rows.length > query.limit && last
        ? encodeCursor({ dueBy: last.due_by.toISOString(), id: last.dispute_id })
        : null,
  };
}

/** How many cases have each status, and how many unresolved ones are overdue. */
export async function countDisputes(
  db: Queryable = getPool(),
): Promise<{ byStatus: Record<DisputeStatus, number>; overdue: number }> {
  const found = await db.query<{ status: DisputeStatus; total: string; overdue: string }>(
    `SELECT d.status, count(*)::text AS total,
            count(*) FILTER (WHERE d.due_by <= now())::text AS overdue
       FROM disputes d GROUP BY d.status`,
  );
  const byStatus = {
    open: 0,
    needs_response: 0,
    under_review: 0,
    won: 0,
    lost: 0,
    withdrawn: 0,
  } satisfies Record<DisputeStatus, number>;
  let overdue = 0;
  for (const row of found.rows) {
    byStatus[row.status] = Number(row.total);
    if (AWAITING_RESPONSE.includes(row.status)) overdue += Number(row.overdue);
  }
  return { byStatus, overdue };
}

function encodeCursor(cursor: { dueBy: string; id: string }): string {
  return Buffer.from(`${cursor.dueBy}|${cursor.id}`).toString('base64url');
}

function decodeCursor(text: string): { dueBy: string; id: string } {
  const [dueBy, id] = Buffer.from(text, 'base64url').toString().split('|');
  // Exactly the form encodeCursor writes: anything else is not a cursor Chronicle gave out.
  if (
    !dueBy ||
    !id ||
    !UUID_PATTERN.test(id) ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(dueBy) ||
    Number.isNaN(Date.parse(dueBy))
  )
    throw new AppError('validation_error', 'This cursor is not one Chronicle gave out.', {
      fieldErrors: { cursor: 'Use the nextCursor of a previous page.' },
    });
  return { dueBy, id };
}

/** An evidence file's bytes, if a case of this id records it. */
export async function getDisputeFile(
  disputeId: string,
  evidenceId: string,
  db: Queryable = getPool(),
): Promise<{ fileName: string; contentType: string; bytes: Buffer; sha256: string } | null> {
  if (!UUID_PATTERN.test(disputeId) || !UUID_PATTERN.test(evidenceId)) return null;
  const found = await db.query<{
    file_name: string;
    content_type: string;
    content: Buffer;
    sha256: string;
  }>(
    `SELECT e.value->>'fileName' AS file_name, f.content_type, f.content, f.sha256
       FROM disputes d, jsonb_array_elements(d.evidence) AS e(value)
       JOIN dispute_files f ON f.sha256 = e.value->>'sha256'
      WHERE d.dispute_id = $1 AND e.value->>'evidenceId' = $2 AND e.value->>'kind' = 'file'`,
    [disputeId, evidenceId],
  );
  const row = found.rows[0];
  return row
    ? {
        fileName: row.file_name,
        contentType: row.content_type,
        bytes: row.content,
        sha256: row.sha256,
      }
    : null;
}
