// Assigning and reassigning a case: each assignment is an event on the case's stream and the
// projection follows it; a case can be given only to an active support user or admin — an auditor,
// a disabled user or nobody at all is refused with a clear error, and nothing is written.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { context, refusal } from '../../../test/support';
import { charged, disputeCounts, opened, staff } from '../../../test/dispute-support';
import { getPool } from '../db/pool';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { updateUserAccess } from '../users/update-user-access';
import { assignDispute } from './assign-dispute';
import { getDispute, listDisputes } from './read-disputes';

async function assignedEvents(disputeId: string) {
  const found = await getPool().query<{ stream_version: number; assignee_id: string }>(
    `SELECT stream_version::int AS stream_version, data->>'assigneeId' AS assignee_id
       FROM events WHERE stream_id = $1 AND type = 'dispute_assigned' ORDER BY stream_version`,
    [`dispute-${disputeId}`],
  );
  return found.rows;
}

async function projectedAssignee(disputeId: string) {
  const found = await getPool().query<{ assignee_id: string | null; status: string }>(
    'SELECT assignee_id, status FROM disputes WHERE dispute_id = $1',
    [disputeId],
  );
  return found.rows[0];
}

describe('assigning a case', () => {
  it('reassigned from one support user to another: a second event, and the projection follows', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const first = await staff('support', 'Sam');
    const second = await staff('support', 'Kim');

    const assigned = await assignDispute({
      disputeId,
      input: { assigneeId: first.id },
      context: context(),
    });
    expect(assigned.events.map((event) => [event.type, event.data])).toEqual([
      ['dispute_assigned', { assigneeId: first.id }],
    ]);
    expect(await projectedAssignee(disputeId)).toEqual({
      assignee_id: first.id,
      status: 'needs_response',
    });

    const reassigned = await assignDispute({
      disputeId,
      input: { assigneeId: second.id },
      context: context(),
    });
    expect(reassigned.events.map((event) => [event.type, event.data])).toEqual([
      ['dispute_assigned', { assigneeId: second.id }],
    ]);
    expect(reassigned.disputes[0]).toMatchObject({
      assigneeId: second.id,
      status: 'needs_response',
      version: 3,
    });
    // The history keeps both assignments, in order; the projection holds the latest.
    expect(await assignedEvents(disputeId)).toEqual([
      { stream_version: 2, assignee_id: first.id },
      { stream_version: 3, assignee_id: second.id },
    ]);
    expect(await projectedAssignee(disputeId)).toEqual({
      assignee_id: second.id,
      status: 'needs_response',
    });
    expect((await getDispute(disputeId))?.assigneeId).toBe(second.id);
    const queue = async (assignee: string) =>
      (await listDisputes({ assignee, sort: 'newest', limit: 50 })).items.map((item) => item.id);
    expect(await queue(second.id)).toContain(disputeId);
    expect(await queue(first.id)).not.toContain(disputeId);
    expect(
      (await verifyIntegrity(getPool(), { streamId: `dispute-${disputeId}` })).problems,
    ).toEqual([]);

    // Assigning to whom it already belongs is refused too, and records nothing.
    const before = await disputeCounts(disputeId);
    const again = await refusal(
      assignDispute({ disputeId, input: { assigneeId: second.id }, context: context() }),
    );
    expect(again.code).toBe('validation_error');
    expect(again.fieldErrors?.assigneeId).toBe('The case is already assigned to this user.');
    expect(await disputeCounts(disputeId)).toEqual(before);
  });

  it('an admin may take a case', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const admin = await staff('admin');
    await assignDispute({ disputeId, input: { assigneeId: admin.id }, context: context() });
    expect(await projectedAssignee(disputeId)).toMatchObject({ assignee_id: admin.id });
  });

  it('refuses an auditor, a disabled support user and an unknown user, and writes nothing', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const owner = await staff('support', 'Sam');
    await assignDispute({ disputeId, input: { assigneeId: owner.id }, context: context() });

    const auditor = await staff('auditor');
    const disabled = await staff('support', 'Gone');
    const admin = await staff('admin');
    await updateUserAccess({
      actingUserId: admin.id,
      userId: disabled.id,
      change: { disabled: true },
    });

    const before = await disputeCounts(disputeId);
    for (const assigneeId of [auditor.id, disabled.id, randomUUID()]) {
      const error = await refusal(
        assignDispute({ disputeId, input: { assigneeId }, context: context() }),
      );
      expect(error.code).toBe('validation_error');
      expect(error.message).toBe('Cases can be assigned to active support users and admins only.');
      expect(error.fieldErrors).toEqual({ assigneeId: 'Choose an active support user or admin.' });
    }
    expect(await disputeCounts(disputeId)).toEqual(before);
    expect(await assignedEvents(disputeId)).toEqual([{ stream_version: 2, assignee_id: owner.id }]);
    expect(await projectedAssignee(disputeId)).toEqual({
      assignee_id: owner.id,
      status: 'needs_response',
    });
  });

  it('a retry of an assignment answers it even after the assignee was disabled since', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const leaving = await staff('support', 'Leaving');
    const admin = await staff('admin');
    const key = context();
    const first = await assignDispute({
      disputeId,
      input: { assigneeId: leaving.id },
      context: key,
    });
    await updateUserAccess({
      actingUserId: admin.id,
      userId: leaving.id,
      change: { disabled: true },
    });
    const before = await disputeCounts(disputeId);

    const again = await assignDispute({
      disputeId,
      input: { assigneeId: leaving.id },
      context: key,
    });
    expect(again.replayed).toBe(true);
    expect({ ...again, replayed: false }).toEqual(first);
    expect(await disputeCounts(disputeId)).toEqual(before);
    // A new request (a new key) to the disabled user is refused.
    const error = await refusal(
      assignDispute({ disputeId, input: { assigneeId: leaving.id }, context: context() }),
    );
    expect(error.code).toBe('validation_error');
  });
});
