import { AppError } from '../../errors';
import type { PoolClient } from '../db/pool';
import type { Role } from '../../auth/permissions';
import { recordAdminAction } from '../admin-trail/record-admin-action';
import { forgetCachedApiKeys } from '../api-keys/api-key-cache';
import { getPool, withTransaction } from '../db/pool';
import { recheckUserStreams } from '../live-updates/stream-registry';
import { USER_COLUMNS, toUserRecord, type UserRecord, type UserRow } from './user-record';

/**
 * Changes a user's role or disables/enables them, and records who did it, before and after, in
 * the user's trail. Takes effect on the user's next request, because every request reloads the
 * user; disabling also ends every session they had, so enabling them later does not revive one.
 * An admin cannot lock themselves out. A change to what already is records nothing.
 */
export async function updateUserAccess(options: {
  actingUserId: string;
  userId: string;
  change: { role: Role } | { disabled: boolean };
}): Promise<UserRecord> {
  const { actingUserId, userId, change } = options;
  if (userId === actingUserId) {
    throw new AppError(
      'validation_error',
      'You cannot change your own role or disable yourself; ask another admin.',
    );
  }
  const updated = await withTransaction(getPool(), async (tx) => {
    const before = await lockUser(tx, userId);
    const actor = `user:${actingUserId}`;
    const subject = { id: before.id, label: before.email };
    if ('role' in change) {
      if (change.role === before.role) return before;
      await changeRoleIn(tx, { user: before, role: change.role, actor });
    } else {
      const wasDisabled = before.disabledAt !== null;
      if (change.disabled === wasDisabled) return before;
      // The database clock records when; disabling also sets the instant before which no
      // session of theirs counts any more.
      await tx.query(
        change.disabled
          ? 'UPDATE users SET disabled_at = now(), sessions_valid_after = now(), updated_at = now() WHERE id = $1::uuid'
          : 'UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1::uuid',
        [userId],
      );
      await recordAdminAction(tx, {
        type: change.disabled ? 'user_disabled' : 'user_enabled',
        subject,
        before: { disabled: wasDisabled },
        after: { disabled: change.disabled },
        actor,
      });
    }
    const after = await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1::uuid`, [
      userId,
    ]);
    return toUserRecord(after.rows[0] as UserRow);
  });
  // Their API keys hold no more than they do: this process forgets them at once, the others when
  // the database announces the change (../api-keys/api-key-cache.ts). Their live streams likewise:
  // re-checked here at once, elsewhere on the notice (../live-updates/stream-registry.ts).
  forgetCachedApiKeys();
  recheckUserStreams(userId);
  return updated;
}

/**
 * Gives `user` a new role and records it in their trail, in the caller's transaction (which holds
 * the user's row). An approved grant of the admin role runs it alongside its approval.
 */
export async function changeRoleIn(
  tx: PoolClient,
  change: { user: UserRecord; role: Role; actor: string; approvedBy?: string },
): Promise<void> {
  await tx.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1::uuid', [
    change.user.id,
    change.role,
  ]);
  await recordAdminAction(tx, {
    type: 'user_role_changed',
    subject: { id: change.user.id, label: change.user.email },
    before: { role: change.user.role },
    after: { role: change.role, ...(change.approvedBy ? { approvedBy: change.approvedBy } : {}) },
    actor: change.actor,
  });
}

/** The user, their row locked for the caller's transaction; not_found when there is none. */
export async function lockUser(tx: PoolClient, userId: string): Promise<UserRecord> {
  const found = await tx.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = $1::uuid FOR UPDATE`,
    [userId],
  );
  if (!found.rows[0]) throw new AppError('not_found', 'No such user.');
  return toUserRecord(found.rows[0]);
}
