// The trail of administrative actions, newest first: who created users and keys, changed roles,
// disabled and enabled people, revoked keys — with what was before and after.

import {
  ADMIN_EVENT_TYPES,
  adminEventDataSchema,
  type AdminEventData,
} from '../../admin/admin-events';
import { getPool, type Queryable } from '../db/pool';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-store/types';

export interface AdminAction {
  readonly eventId: string;
  readonly type: (typeof ADMIN_EVENT_TYPES)[number];
  readonly actor: string;
  readonly subject: AdminEventData['subject'];
  readonly before: AdminEventData['before'];
  readonly after: AdminEventData['after'];
  readonly occurredAt: Date;
  readonly globalPosition: bigint;
}

export async function listAdminActions(options: {
  beforePosition?: bigint;
  limit: number;
  db?: Queryable;
}): Promise<{ actions: AdminAction[]; nextBeforePosition: bigint | null }> {
  const limit = Math.max(1, Math.min(options.limit, 500));
  const result = await (options.db ?? getPool()).query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE type = ANY($1) AND ($2::bigint IS NULL OR global_position < $2)
      ORDER BY events.global_position DESC LIMIT $3`,
    [ADMIN_EVENT_TYPES, options.beforePosition?.toString() ?? null, limit + 1],
  );
  const actions = result.rows.slice(0, limit).map((row) => {
    const event = toRecordedEvent(row);
    const data = adminEventDataSchema.parse(event.data);
    return {
      eventId: event.eventId,
      type: event.type as AdminAction['type'],
      actor: event.metadata.actor,
      subject: data.subject,
      before: data.before,
      after: data.after,
      occurredAt: event.occurredAt,
      globalPosition: event.globalPosition,
    };
  });
  return {
    actions,
    nextBeforePosition:
      result.rows.length > limit ? (actions[actions.length - 1]?.globalPosition ?? null) : null,
  };
}
