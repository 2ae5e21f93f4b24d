import type { Person } from '../../ledger/approval/approval-rules';
import { isRole, type Role } from '../../auth/permissions';
import { getPool } from '../db/pool';
import { API_KEY_PREFIX, hashApiKey } from './api-key-secret';

export interface ApiCaller {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  /** How events written with this key name it. */
  readonly actor: string;
  /**
   * The person who answers for the key: its owner. Four-eyes rules compare people, so a key never
   * approves what its owner asked for. Absent for a key made before keys had owners: such a key
   * can neither make nor decide an approval request.
   */
  readonly person?: Person;
}

/**
 * The caller behind `Authorization: Bearer <key>`, or null for a missing, unknown, revoked or
 * expired key, and for a key whose owner is no longer an active admin (disabled or demoted): a key
 * never holds more than the person who answers for it.
 */
export async function authenticateApiKey(authorization: string | null): Promise<ApiCaller | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const key = match?.[1];
  if (!key || !key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  // Touch last_used_at at most once a minute, so busy keys do not write on every request.
  const result = await getPool().query<{
    id: string;
    name: string;
    role: string;
    owner_id: string | null;
    owner_email: string | null;
  }>(
    `WITH found AS (
       SELECT k.id, k.name, k.role, k.owner_id FROM api_keys k
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL
          AND (k.expires_at IS NULL OR k.expires_at > now())
          AND (k.owner_id IS NULL
               OR EXISTS (SELECT 1 FROM users u
                           WHERE u.id = k.owner_id AND u.disabled_at IS NULL AND u.role = 'admin'))
     ), touched AS (
       UPDATE api_keys SET last_used_at = now()
        WHERE id = (SELECT id FROM found) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
     )
     SELECT f.id::text AS id, f.name, f.role::text AS role, f.owner_id::text AS owner_id,
            u.email AS owner_email
       FROM found f LEFT JOIN users u ON u.id = f.owner_id`,
    [hashApiKey(key)],
  );
  const row = result.rows[0];
  if (!row || !isRole(row.role)) return null;
  const actor = `api_key:${row.id}`;
  return {
    keyId: row.id,
    name: row.name,
    role: row.role,
    actor,
    ...(row.owner_id
      ? { person: { actor, userId: row.owner_id, email: row.owner_email ?? '', role: row.role } }
      : {}),
  };
}
