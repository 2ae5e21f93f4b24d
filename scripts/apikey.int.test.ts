import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../lib/server/api-keys/authenticate-api-key';
import { getPool } from '../lib/server/db/pool';
import { createUser } from '../lib/server/users/create-user';

async function createAdmin(): Promise<string> {
  const email = `owner-${randomBytes(3).toString('hex')}@example.test`;
  await createUser({
    input: { email, name: 'Key Owner', role: 'admin', password: 'a long enough password' },
    actor: 'system:test',
  });
  return email;
}

function run(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join('node_modules', '.bin', 'tsx'), [script, ...args], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run apikey:create and apikey:revoke', () => {
  it('prints the new key alone on the last line, stores only its hash, and revokes it', async () => {
    const name = `warehouse-${randomBytes(3).toString('hex')}`;
    const owner = await createAdmin();
    const created = await run('scripts/apikey-create.ts', [
      '--name',
      name,
      '--role',
      'auditor',
      '--owner',
      owner,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trim().split('\n');
    const key = lines[lines.length - 1] as string;
    expect(key).toMatch(/^chr_[A-Za-z0-9_-]{43}$/);
    const stored = await getPool().query(
      'SELECT key_hash, key_prefix, role::text AS role FROM api_keys WHERE name = $1',
      [name],
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].role).toBe('auditor');
    expect(JSON.stringify(stored.rows[0])).not.toContain(key);
    expect(key.startsWith(stored.rows[0].key_prefix)).toBe(true);
    expect(await authenticateApiKey(`Bearer ${key}`)).toMatchObject({ name, role: 'auditor' });

    const revoked = await run('scripts/apikey-revoke.ts', ['--name', name]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await authenticateApiKey(`Bearer ${key}`)).toBeNull();

    // Both are in the key's trail, done by the command-line tool.
    const trail = await getPool().query(
      `SELECT type, metadata->>'actor' AS actor, data->'after' AS after FROM events
        WHERE stream_id = 'api_key-' || (SELECT id::text FROM api_keys WHERE name = $1)
        ORDER BY stream_version`,
      [name],
    );
    expect(trail.rows).toEqual([
      {
        type: 'api_key_created',
        actor: 'system:cli',
        after: { name, role: 'auditor', owner, expiresAt: null },
      },
      { type: 'api_key_revoked', actor: 'system:cli', after: { revoked: true } },
    ]);
  }, 60_000);

  it('refuses a key without an owner, or owned by someone who is not an active admin', async () => {
    const missing = await run('scripts/apikey-create.ts', ['--name', 'x', '--role', 'support']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--owner');
    const support = `support-${randomBytes(3).toString('hex')}@example.test`;
    await createUser({
      input: { email: support, name: 'Sam', role: 'support', password: 'a long enough password' },
      actor: 'system:test',
    });
    const notAdmin = await run('scripts/apikey-create.ts', [
      '--name',
      'x',
      '--role',
      'support',
      '--owner',
      support,
    ]);
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.stderr).toContain('owned by an active admin');
  }, 60_000);

  it('refuses an unknown role', async () => {
    const result = await run('scripts/apikey-create.ts', [
      '--name',
      'x',
      '--role',
      'root',
      '--owner',
      'nobody@example.test',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('admin, support or auditor');
  }, 30_000);
});
