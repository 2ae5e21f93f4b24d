import { AppError } from '../../errors';
import { recordAdminAction } from '../admin-trail/record-admin-action';
import { getPool, withTransaction } from '../db/pool';
import { forgetCachedApiKeys } from './api-key-cache';

/**
 * Revokes an active key, by id or by name, and records who did it in the key's trail; the key
 * stops working on its next request.
 */
export async function revokeApiKey(options: {
  id?: string;
  name?: string;
  /** `user:<id>` of the admin, or `system:cli`. */
  actor: string;
}): Promise<{ id: string; name: string }> {
  if (!options.id && !options.name)
    throw new AppError('validation_error', 'Name the key to revoke with --id or --name.');
  const revoked = await withTransaction(getPool(), async (tx) => {
    const matches = await tx.query<{ id: string; name: string }>(
      `SELECT id::text AS id, name FROM api_keys
        WHERE revoked_at IS NULL AND ($1::text IS NULL OR id::text = $1) AND ($2::text IS NULL OR name = $2)
        FOR UPDATE`,
      [options.id ?? null, options.name ?? null],
    );
    if (matches.rows.length === 0) throw new AppError('not_found', 'No active key matches.');
    if (matches.rows.length > 1) {
      throw new AppError(
        'validation_error',
        `${matches.rows.length} active keys are named "${options.name}"; revoke one by --id (${matches.rows.map((row) => row.id).join(', ')}).`,
      );
    }
    const key = matches.rows[0] as { id: string; name: string };
    await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1::uuid', [key.id]);
    await recordAdminAction(tx, {
      type: 'api_key_revoked',
      subject: { id: key.id, label: key.name },
      before: { revoked: false },
      after: { revoked: true },
      actor: options.actor,
    });
    return key;
  });
  // Other processes hear of it from the database (api-key-cache.ts); this one forgets at once.
  forgetCachedApiKeys();
  return revoked;
}
