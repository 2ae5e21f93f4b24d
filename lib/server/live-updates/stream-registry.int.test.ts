// Live streams end when their session signs out or their user is disabled, wherever that
// happens: here the change is made on another connection (as another worker, instance, the CLI or
// psql would make it), and the database's notice reaches this process, which re-checks the named
// streams against the database. The notice names; the database judges.

import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { superuserClient } from '../../../test/support';
import { isUserStillAllowed } from '../auth/is-user-still-allowed';
import { revokeSession } from '../auth/revoke-session';
import { getDatabaseListener } from '../db/database-listener';
import { createUser } from '../users/create-user';
import { SESSION_END_CHANNEL, registerStream, sessionNoticeMark } from './stream-registry';
import { LocalStreamSlots } from './stream-slots';

async function newUser(): Promise<string> {
  const user = await createUser({
    input: {
      email: `stream-${randomBytes(3).toString('hex')}@example.test`,
      name: 'Stream reader',
      role: 'auditor',
      password: 'a long enough password',
    },
    actor: 'system:test',
  });
  return user.id;
}

/** A registered stream that re-checks as the route's does, recording how it went. */
async function openStream(
  userId: string,
  sessionId = randomUUID(),
  noticeMark = sessionNoticeMark(),
) {
  const session = { sessionId, signedInAt: new Date(Date.now() - 1_000) };
  let ended = false;
  let rechecks = 0;
  let unregister: (() => void) | null = null;
  const end = () => {
    if (ended) return;
    ended = true;
    unregister?.();
  };
  unregister = await registerStream(
    {
      userId,
      sessionId,
      end,
      recheck: () => {
        void isUserStillAllowed(userId, session, 'accounts:read').then((allowed) => {
          rechecks += 1;
          if (!allowed) end();
        });
      },
    },
    noticeMark,
    new LocalStreamSlots(),
  );
  expect(unregister).not.toBeNull();
  // The first stream starts the process's listener; nothing below counts until it listens.
  await getDatabaseListener()?.connect();
  expect(getDatabaseListener()?.isListening()).toBe(true);
  return { sessionId, ended: () => ended, rechecks: () => rechecks, close: end };
}

async function elsewhere(sql: string, values: unknown[]): Promise<void> {
  const client = await superuserClient();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

describe('live streams and session ends announced by the database', () => {
  it('a session signed out elsewhere ends its streams here; the user’s other session goes on', async () => {
    const userId = await newUser();
    const sessionId = randomUUID();
    const first = await openStream(userId, sessionId);
    const second = await openStream(userId, sessionId);
    const otherSession = await openStream(userId);
    await elsewhere(
      `INSERT INTO revoked_sessions (session_id, user_id, expires_at)
       VALUES ($1::uuid, $2::uuid, now() + interval '1 hour')`,
      [sessionId, userId],
    );
    await expect.poll(() => first.ended() && second.ended(), { timeout: 5_000 }).toBe(true);
    expect(otherSession.ended()).toBe(false);
    otherSession.close();
  });

  it('a user disabled elsewhere loses every stream here; other users keep theirs', async () => {
    const userId = await newUser();
    const streams = [await openStream(userId), await openStream(userId)];
    const bystander = await openStream(await newUser());
    await elsewhere('UPDATE users SET disabled_at = now() WHERE id = $1::uuid', [userId]);
    await expect
      .poll(() => streams.every((stream) => stream.ended()), { timeout: 5_000 })
      .toBe(true);
    expect(bystander.ended()).toBe(false);
    bystander.close();
  });

  it('a notice alone ends nothing: the stream is re-checked and lives on', async () => {
    const userId = await newUser();
    const stream = await openStream(userId);
    const before = stream.rechecks();
    await elsewhere('SELECT pg_notify($1, $2)', [
      SESSION_END_CHANNEL,
      `session:${stream.sessionId}`,
    ]);
    await elsewhere('SELECT pg_notify($1, $2)', [SESSION_END_CHANNEL, `user:${userId}`]);
    await expect.poll(() => stream.rechecks(), { timeout: 5_000 }).toBe(before + 2);
    expect(stream.ended()).toBe(false);
    stream.close();
  });

  it('a sign-out announced while a stream is being opened ends it once registered', async () => {
    const userId = await newUser();
    // The process listens (an earlier stream started it); this stream's session is read now…
    await openStream(userId).then((stream) => stream.close());
    const sessionId = randomUUID();
    const mark = sessionNoticeMark();
    // …and signed out elsewhere before the stream is registered: the notice finds nothing.
    await elsewhere(
      `INSERT INTO revoked_sessions (session_id, user_id, expires_at)
       VALUES ($1::uuid, $2::uuid, now() + interval '1 hour')`,
      [sessionId, userId],
    );
    await expect.poll(() => sessionNoticeMark(), { timeout: 5_000 }).not.toBe(mark);
    const stream = await openStream(userId, sessionId, mark);
    await expect.poll(() => stream.ended(), { timeout: 5_000 }).toBe(true);
  });

  it('the process that signs a session out ends its streams without waiting for the notice', async () => {
    const userId = await newUser();
    const stream = await openStream(userId);
    await revokeSession({
      sessionId: stream.sessionId,
      userId,
      endsAt: new Date(Date.now() + 3_600_000),
    });
    expect(stream.ended()).toBe(true);
  });
});
