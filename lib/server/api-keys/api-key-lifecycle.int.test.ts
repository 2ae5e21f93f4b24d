// An API key works only while its owner is active, until it expires, and until it is revoked.

import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { superuserClient } from '../../../test/support';
import { createUser } from '../users/create-user';
import { updateUserAccess } from '../users/update-user-access';
import { authenticateApiKey } from './authenticate-api-key';
import { createApiKey } from './create-api-key';

async function admin(label: string) {
  return createUser({
    input: {
      email: `${label}-${randomBytes(3).toString('hex')}@example.test`,
      name: label,
      role: 'admin',
      password: 'a long enough password',
    },
    actor: 'system:test',
  });
}

describe('an API key', () => {
  it('stops working while its owner is disabled, and works again when they are enabled', async () => {
    const owner = await admin('owner');
    const other = await admin('other');
    const created = await createApiKey({
      input: { name: 'payments', role: 'support' },
      ownerId: owner.id,
      actor: `user:${owner.id}`,
    });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).not.toBeNull();
    await updateUserAccess({
      actingUserId: other.id,
      userId: owner.id,
      change: { disabled: true },
    });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).toBeNull();
    await updateUserAccess({
      actingUserId: other.id,
      userId: owner.id,
      change: { disabled: false },
    });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).not.toBeNull();
  });

  it('stops working while its owner is no longer an admin', async () => {
    const owner = await admin('owner');
    const other = await admin('other');
    const created = await createApiKey({
      input: { name: 'risk', role: 'admin' },
      ownerId: owner.id,
      actor: `user:${owner.id}`,
    });
    await updateUserAccess({
      actingUserId: other.id,
      userId: owner.id,
      change: { role: 'auditor' },
    });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).toBeNull();
    await updateUserAccess({ actingUserId: other.id, userId: owner.id, change: { role: 'admin' } });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).toMatchObject({ role: 'admin' });
  });

  it('stops working when it expires', async () => {
    const owner = await admin('owner');
    const created = await createApiKey({
      input: { name: 'short-lived', role: 'auditor', expiresAt: new Date(Date.now() + 3_600_000) },
      ownerId: owner.id,
      actor: `user:${owner.id}`,
    });
    expect(await authenticateApiKey(`Bearer ${created.key}`)).not.toBeNull();
    const client = await superuserClient();
    try {
      await client.query(
        `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [created.id],
      );
    } finally {
      await client.end();
    }
    // Changed from another connection: this process hears of it from the database.
    await expect.poll(() => authenticateApiKey(`Bearer ${created.key}`)).toBeNull();
  });

  it('refuses an expiry in the past or more than five years away', async () => {
    const owner = await admin('owner');
    for (const expiresAt of [
      new Date(Date.now() - 1000),
      new Date(Date.now() + 6 * 365 * 86_400_000),
    ])
      await expect(
        createApiKey({
          input: { name: 'x', role: 'auditor', expiresAt },
          ownerId: owner.id,
          actor: `user:${owner.id}`,
        }),
      ).rejects.toMatchObject({ code: 'validation_error' });
  });
});
