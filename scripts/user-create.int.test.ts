import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../lib/server/auth/authenticate';
import { getPool } from '../lib/server/db/pool';

function runCreateUser(
  args: string[],
  stdin: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join('node_modules', '.bin', 'tsx'),
      ['scripts/user-create.ts', ...args],
      {
        env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
    child.stdin.end(stdin);
  });
}

describe('npm run user:create', () => {
  it('creates a user with the password read from standard input', async () => {
    const email = `cli_${randomBytes(4).toString('hex')}@example.com`;
    const result = await runCreateUser(
      ['--email', email, '--role', 'auditor', '--name', 'Cli Auditor'],
      'a long enough password\n',
    );
    expect(result.output).toContain(`created auditor ${email}`);
    expect(result.code).toBe(0);
    const row = await getPool().query(
      'SELECT name, role::text AS role FROM users WHERE email = $1',
      [email],
    );
    expect(row.rows).toEqual([{ name: 'Cli Auditor', role: 'auditor' }]);
    expect(
      await authenticate({ email, password: 'a long enough password', clientAddress: null }),
    ).toMatchObject({ status: 'ok' });
  });

  it('keeps the password exactly as given, stripping only one trailing line ending', async () => {
    const cases = [
      {
        stdin: '  padded password  \n',
        password: '  padded password  ',
        trimmed: 'padded password',
      },
      {
        stdin: '\tpassword with a tab \r\n',
        password: '\tpassword with a tab ',
        trimmed: 'password with a tab',
      },
      {
        stdin: 'two line endings here\n\n',
        password: 'two line endings here\n',
        trimmed: 'two line endings here',
      },
    ];
    for (const { stdin, password, trimmed } of cases) {
      const email = `cli_${randomBytes(4).toString('hex')}@example.com`;
      const result = await runCreateUser(['--email', email, '--role', 'support'], stdin);
      expect(result.code, result.output).toBe(0);
      expect(await authenticate({ email, password, clientAddress: null })).toMatchObject({
        status: 'ok',
      });
      expect(await authenticate({ email, password: trimmed, clientAddress: null })).toEqual({
        status: 'invalid',
      });
    }
  }, 60_000);

  it('refuses a short password, an unknown role and a password on the command line', async () => {
    const email = `cli_${randomBytes(4).toString('hex')}@example.com`;
    const short = await runCreateUser(['--email', email, '--role', 'support'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.output).toContain('Use at least 12 characters.');
    const badRole = await runCreateUser(
      ['--email', email, '--role', 'superuser'],
      'a long enough password\n',
    );
    expect(badRole.code).toBe(1);
    expect(badRole.output).toContain('admin, support or auditor');
    const onCommandLine = await runCreateUser(
      ['--email', email, '--role', 'support', '--password', 'a long enough password'],
      '',
    );
    expect(onCommandLine.code).not.toBe(0);
    expect(onCommandLine.output).toMatch(/Unknown option '--password'/);
    const row = await getPool().query('SELECT 1 FROM users WHERE email = $1', [email]);
    expect(row.rowCount).toBe(0);
  }, 60_000);
});
