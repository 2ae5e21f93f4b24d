import { getPool, type Queryable } from '../db/pool';

export interface AccessDenialRecord {
  readonly actor: string;
  readonly role: string | null;
  readonly action: string;
  readonly resource: string | null;
  readonly channel: string;
  readonly occurredAt: Date;
}

/** The most recent refused attempts, newest first. */
export async function listAccessDenials(
  options: { limit?: number; db?: Queryable } = {},
): Promise<AccessDenialRecord[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 20, 200));
  const result = await (options.db ?? getPool()).query<{
    actor: string;
    role: string | null;
    action: string;
    resource: string | null;
    channel: string;
    occurred_at: Date;
  }>(
    'SELECT actor, role, action, resource, channel, occurred_at FROM access_denials ORDER BY id DESC LIMIT $1',
    [limit],
  );
  return result.rows.map((row) => ({
    actor: row.actor,
    role: row.role,
    action: row.action,
    resource: row.resource,
    channel: row.channel,
    occurredAt: row.occurred_at,
  }));
}
