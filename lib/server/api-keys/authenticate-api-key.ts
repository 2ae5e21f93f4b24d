import type { Person } from '../../ledger/approval/approval-rules';
import { isRole, type Role } from '../../auth/permissions';
import { getPool } from '../db/pool';
import { errorMessage, logLine } from '../log';
import { processApiKeyCache } from './api-key-cache';
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

/** How often a key's last_used_at is written: busy keys must not write on every request. */
const TOUCH_EVERY_MS = 60_000;

interface CachedKey {
  readonly caller: ApiCaller;
  /** When this process last wrote the key's last_used_at (or found it recent). */
  touchedAt: number;
}

/**
 * The caller behind `Authorization: Bearer <key>`, or null for a missing, unknown, revoked or
 * expired key, and for a key whose owner is no longer an active admin (disabled or demoted): a key
 * never holds more than the person who answers for it. Answered from this process's cache when it
 * can be (see ./api-key-cache.ts for why that never outlives a revocation).
 */
export async function authenticateApiKey(authorization: string | null): Promise<ApiCaller | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const key = match?.[1];
  if (!key || !key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const keyHash = hashApiKey(key);
  const cache = processApiKeyCache<CachedKey>();
  const now = Date.now();
  const cached = cache.get(keyHash, now);
  if (cached) {
    if (now - cached.touchedAt > TOUCH_EVERY_MS) {
      cached.touchedAt = now;
      getPool()
        .query(
          `UPDATE api_keys SET last_used_at = now()
            WHERE id = $1::uuid AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
          [cached.caller.keyId],
        )
        .catch((error: unknown) =>
          logLine('warn', 'could not record when an API key was last used', {
            error: errorMessage(error),
          }),
        );
    }
    return cached.caller;
  }
  const generation = cache.currentGeneration();
  // Touch last_used_at at most once a minute, so busy keys do not write on every request.
  const result = await getPool().query<{
    id: string;
    name: string;
    role: string;
    owner_id: string | null;
    owner_email: string | null;
    expires_at_ms: string | null;
  }>(
    `WITH found AS (
       SELECT k.id, k.name, k.role, k.owner_id, k.expires_at FROM api_keys k
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
            u.email AS owner_email,
            (extract(epoch FROM f.expires_at) * 1000)::bigint::text AS expires_at_ms
       FROM found f LEFT JOIN users u ON u.id = f.owner_id`,
    [keyHash],
  );
  const row = result.rows[0];
  if (!row || !isRole(row.role)) return null;
  const actor = `api_key:${row.id}`;
  const caller: ApiCaller = {
    keyId: row.id,
    name: row.name,
    role: row.role,
    actor,
    ...(row.owner_id
      ? { person: { actor, userId: row.owner_id, email: row.owner_email ?? '', role: row.role } }
      : {}),
  };
  cache.set(
    keyHash,
    { caller, touchedAt: now },
    { generation, now, expiresAt: row.expires_at_ms === null ? null : Number(row.expires_at_ms) },
  );
  return caller;
}
