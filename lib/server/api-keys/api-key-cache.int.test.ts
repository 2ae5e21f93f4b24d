// Cached API keys against the real database: a revocation is never outlived, whether this process
// made it or another one did (here: another connection, as another worker or psql would be).

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { superuserClient } from '../../../test/support';
import { getDatabaseListener } from '../db/database-listener';
import { createUser } from '../users/create-user';
import { processApiKeyCache } from './api-key-cache';
import { hashApiKey } from './api-key-secret';
import { authenticateApiKey } from './authenticate-api-key';
import { createApiKey } from './create-api-key';
import { revokeApiKey } from './revoke-api-key';

async function keyOfNewAdmin(name: string) {
  const owner = await createUser({
    input: {
      email: `cache-${randomBytes(3).toString('hex')}@example.test`,
      name: 'Cache owner',
      role: 'admin',
      password: 'a long enough password',
    },
    actor: 'system:test',
  });
  return createApiKey({
    input: { name, role: 'support' },
    ownerId: owner.id,
    actor: `user:${owner.id}`,
  });
}

/** Authenticates until the answer comes from the cache (the listener connects on first use). */
async function cached(key: string) {
  await getDatabaseListener()?.connect();
  await authenticateApiKey(`Bearer ${key}`);
  expect(processApiKeyCache().get(hashApiKey(key), Date.now())).toBeDefined();
}

describe('cached API keys', () => {
  it('are answered from memory once checked', async () => {
    const created = await keyOfNewAdmin('cached');
    await cached(created.key);
    expect(await authenticateApiKey(`Bearer ${created.key}`)).toMatchObject({
      keyId: created.id,
      role: 'support',
    });
  });

  it('stop working at once when this process revokes them', async () => {
    const created = await keyOfNewAdmin('revoked-here');
    await cached(created.key);
    await revokeApiKey({ id: created.id, actor: 'system:test' });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).toBeNull();
  });

  it('stop working when another process revokes them, as soon as the database says so', async () => {
    const created = await keyOfNewAdmin('revoked-elsewhere');
    await cached(created.key);
    const client = await superuserClient();
    try {
      await client.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [created.id]);
    } finally {
      await client.end();
    }
    await expect
      .poll(() => processApiKeyCache().get(hashApiKey(created.key), Date.now()))
      .toBe(undefined);
    expect(await authenticateApiKey(`Bearer ${created.key}`)).toBeNull();
  });

  it('are forgotten when their owner is disabled elsewhere', async () => {
    const created = await keyOfNewAdmin('owner-disabled');
    await cached(created.key);
    const client = await superuserClient();
    try {
      await client.query(
        'UPDATE users SET disabled_at = now() WHERE id = (SELECT owner_id FROM api_keys WHERE id = $1)',
        [created.id],
      );
    } finally {
      await client.end();
    }
    await expect.poll(() => authenticateApiKey(`Bearer ${created.key}`)).toBeNull();
  });
});
