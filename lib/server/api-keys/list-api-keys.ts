import type { Role } from '../../auth/permissions';
import { getPool } from '../db/pool';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  /** The owning admin's email; null for keys created before keys had owners. */
  readonly ownerEmail: string | null;
  /** The owner is disabled or no longer an admin: the key does not work meanwhile. */
  readonly isOwnerDisabled: boolean;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Every key, active first; never the key itself (only its hash is stored). */
export async function listApiKeys(): Promise<ApiKeyRecord[]> {
  const result = await getPool().query<{
    id: string;
    name: string;
    role: Role;
    key_prefix: string;
    owner_email: string | null;
    owner_disabled: boolean;
    created_at: Date;
    expires_at: Date | null;
    last_used_at: Date | null;
    revoked_at: Date | null;
  }>(
    `SELECT k.id::text AS id, k.name, k.role::text AS role, k.key_prefix, u.email AS owner_email,
            coalesce(u.disabled_at IS NOT NULL OR u.role <> 'admin', false) AS owner_disabled,
            k.created_at, k.expires_at, k.last_used_at, k.revoked_at
       FROM api_keys k LEFT JOIN users u ON u.id = k.owner_id
      ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC`,
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.key_prefix,
    ownerEmail: row.owner_email,
    isOwnerDisabled: row.owner_disabled,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }));
}
