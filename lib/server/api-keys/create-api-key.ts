import { z } from 'zod';
import { AppError } from '../../errors';
import type { Role } from '../../auth/permissions';
import { utcInstantSchema } from '../../schemas/audit-filters';
import { roleSchema } from '../../schemas/user-inputs';
import { recordAdminAction } from '../admin-trail/record-admin-action';
import { getPool, withTransaction, type PoolClient } from '../db/pool';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';

/** A key may be made to expire at most this far ahead; without an expiry it lasts until revoked. */
export const MAX_API_KEY_LIFETIME_DAYS = 5 * 365;

export const createApiKeyInput = z.strictObject({
  name: z
    .string({ error: 'A name is required.' })
    .trim()
    .min(1, 'A name is required.')
    .max(100, 'A name is at most 100 characters.'),
  role: roleSchema,
  expiresAt: utcInstantSchema.optional(),
});

export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

export interface CreatedApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly expiresAt: Date | null;
  /** The key itself: returned once, never stored. */
  readonly key: string;
}

/**
 * Creates an API key owned by an active admin, and records it in the key's trail. The key works
 * only while its owner is active and until it expires or is revoked.
 */
export async function createApiKey(options: {
  /** Validated at the edge with createApiKeyInput. */
  input: CreateApiKeyInput;
  ownerId: string;
  /** Who creates it: the owner (`user:<id>`), or a tool acting for them (`system:cli`). */
  actor: string;
}): Promise<CreatedApiKey> {
  const { name, role, expiresAt } = options.input;
  const key = generateApiKey();
  const created = await withTransaction(getPool(), (tx) =>
    insertApiKeyIn(tx, {
      name,
      role,
      keyHash: hashApiKey(key),
      prefix: displayPrefix(key),
      ownerId: options.ownerId,
      expiresAt: expiresAt ?? null,
      actor: options.actor,
    }),
  );
  return { ...created, key };
}

/**
 * Stores a key (by its hash) for an active admin owner and records it in the key's trail, in the
 * caller's transaction. An approved admin key is stored this way, alongside its approval.
 */
export async function insertApiKeyIn(
  tx: PoolClient,
  key: {
    name: string;
    role: Role;
    keyHash: string;
    prefix: string;
    ownerId: string;
    expiresAt: Date | null;
    actor: string;
    approvedBy?: string;
  },
): Promise<Omit<CreatedApiKey, 'key'>> {
  const { name, role, expiresAt } = key;
  const owner = await tx.query<{ email: string; role: string; active: boolean }>(
    `SELECT email, role::text AS role, disabled_at IS NULL AS active FROM users WHERE id = $1::uuid FOR SHARE`,
    [key.ownerId],
  );
  const found = owner.rows[0];
  if (!found || !found.active || found.role !== 'admin')
    throw new AppError('validation_error', 'An API key must be owned by an active admin.', {
      fieldErrors: { owner: 'Not an active admin.' },
    });
  if (expiresAt) {
    const range = await tx.query<{ is_future: boolean; is_within: boolean }>(
      `SELECT $1::timestamptz > now() AS is_future,
              $1::timestamptz <= now() + make_interval(days => $2) AS is_within`,
      [expiresAt, MAX_API_KEY_LIFETIME_DAYS],
    );
    if (!range.rows[0]?.is_future || !range.rows[0].is_within)
      throw new AppError(
        'validation_error',
        `The expiry must be in the future and at most ${MAX_API_KEY_LIFETIME_DAYS / 365} years away.`,
        { fieldErrors: { expiresAt: 'Choose a later date, or one less far away.' } },
      );
  }
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO api_keys (name, role, key_prefix, key_hash, owner_id, expires_at)
     VALUES ($1, $2, $3, $4, $5::uuid, $6) RETURNING id::text AS id`,
    [name, role, key.prefix, key.keyHash, key.ownerId, expiresAt],
  );
  const id = inserted.rows[0]?.id as string;
  await recordAdminAction(tx, {
    type: 'api_key_created',
    subject: { id, label: name },
    before: null,
    after: {
      name,
      role,
      owner: found.email,
      expiresAt: expiresAt?.toISOString() ?? null,
      ...(key.approvedBy ? { approvedBy: key.approvedBy } : {}),
    },
    actor: key.actor,
  });
  return { id, name, role, prefix: key.prefix, expiresAt };
}
