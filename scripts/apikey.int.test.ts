import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../lib/server/api-keys/authenticate-api-key';
import { getPool } from '../lib/server/db/pool';

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
    const created = await run('scripts/apikey-create.ts', ['--name', name, '--role', 'auditor']);
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
  }, 60_000);

  it('refuses an unknown role', async () => {
    const result = await run('scripts/apikey-create.ts', ['--name', 'x', '--role', 'root']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('admin, support or auditor');
  }, 30_000);
});
