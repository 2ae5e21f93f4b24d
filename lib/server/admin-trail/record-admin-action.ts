// Appends an administrative action to its subject's stream, in the caller's transaction: the
// change to `users` or `api_keys` and the record of it commit together or not at all.

import { randomUUID } from 'node:crypto';
import {
  SUBJECT_KIND_OF,
  adminStreamId,
  type AdminEventData,
  type AdminEventType,
} from '../../admin/admin-events';
import type { PoolClient } from '../db/pool';
import { appendToStreams, readStreamHeads } from '../event-store/append-to-streams';
import type { RecordedEvent } from '../event-store/types';
import { uuidv7 } from '../ids';

export async function recordAdminAction(
  tx: PoolClient,
  action: {
    type: AdminEventType;
    subject: { id: string; label: string };
    before: AdminEventData['before'];
    after: AdminEventData['after'];
    /** Who did it: `user:<id>`, or `system:<tool>` for command-line tools. */
    actor: string;
    requestId?: string;
  },
): Promise<RecordedEvent> {
  const kind = SUBJECT_KIND_OF[action.type];
  const streamId = adminStreamId(kind, action.subject.id);
  const now = await tx.query<{ now: Date }>(
    "SELECT date_trunc('milliseconds', clock_timestamp()) AS now",
  );
  const head = (await readStreamHeads(tx, [streamId])).get(streamId);
  const data: AdminEventData = {
    subject: { kind, id: action.subject.id, label: action.subject.label },
    before: action.before,
    after: action.after,
  };
  // The subject's row is locked by the caller, so its stream cannot move under us; time still
  // never runs backwards within the stream.
  const clock = now.rows[0]?.now as Date;
  const occurredAt =
    head?.occurredAt && head.occurredAt.getTime() > clock.getTime() ? head.occurredAt : clock;
  const [recorded] = await appendToStreams(tx, [
    {
      streamId,
      expectedVersion: head?.version ?? 0,
      ...(head ? { knownHead: head } : {}),
      events: [
        {
          eventId: uuidv7(occurredAt.getTime()),
          type: action.type,
          schemaVersion: 1,
          data,
          metadata: {
            actor: action.actor,
            correlationId: randomUUID(),
            ...(action.requestId ? { requestId: action.requestId } : {}),
          },
          occurredAt,
        },
      ],
    },
  ]);
  return recorded as RecordedEvent;
}
