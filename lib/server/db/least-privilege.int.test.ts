// The documented production role can append and read events but never rewrite them, even with
// the immutability trigger switched off.

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { superuserClient } from '../../../test/support';
import { appendToStreams } from '../event-store/append-to-streams';
import { uuidv7 } from '../ids';

const role = `chronicle_app_${randomUUID().slice(0, 8)}`;
let owner: pg.Client;

beforeAll(async () => {
  owner = await superuserClient();
  // The documented script, for a uniquely named role so parallel runs cannot collide.
  const script = (await readFile('docs/sql/least-privilege-role.sql', 'utf8')).replaceAll(
    'chronicle_app',
    role,
  );
  await owner.query(script);
});

afterAll(async () => {
  await owner.query(`DROP OWNED BY ${role}`);
  await owner.query(`DROP ROLE ${role}`);
  await owner.end();
});

async function asAppRole<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await superuserClient();
  try {
    await client.query(`SET ROLE ${role}`);
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('the least-privilege application role', () => {
  it('appends and reads events', async () => {
    const streamId = `role-${randomUUID()}`;
    await asAppRole(async (client) => {
      await client.query('BEGIN');
      await appendToStreams(client as unknown as pg.PoolClient, [
        {
          streamId,
          expectedVersion: 0,
          events: [
            {
              eventId: uuidv7(),
              type: 'test',
              schemaVersion: 1,
              data: {},
              metadata: { actor: 'system:test', correlationId: randomUUID() },
              occurredAt: new Date(),
            },
          ],
        },
      ]);
      await client.query('COMMIT');
      const read = await client.query(
        'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
        [streamId],
      );
      expect(read.rows[0].n).toBe(1);
    });
  });

  it('may not update, delete or truncate events even with the trigger disabled', async () => {
    await owner.query('ALTER TABLE events DISABLE TRIGGER events_reject_update_delete');
    try {
      await asAppRole(async (client) => {
        await expect(client.query("UPDATE events SET type = 'x'")).rejects.toThrow(
          /permission denied/,
        );
        await expect(client.query('DELETE FROM events')).rejects.toThrow(/permission denied/);
        await expect(client.query('TRUNCATE events')).rejects.toThrow(/permission denied/);
        await expect(client.query('ALTER TABLE events DISABLE TRIGGER ALL')).rejects.toThrow(
          /must be owner/,
        );
      });
    } finally {
      await owner.query('ALTER TABLE events ENABLE TRIGGER events_reject_update_delete');
    }
  });
});
