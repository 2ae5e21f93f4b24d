import type { Role } from '../../auth/permissions';
import { getPool } from '../db/pool';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly createdAt: Date;
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
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  }>(
    `SELECT id::text AS id, name, role::text AS role, key_prefix, created_at, last_used_at, revoked_at
       FROM api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC`,
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.key_prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }));
}
