// The documented production set-up, end to end (README "Security"): migrations as the schema
// owner, the app and its command-line tools as the least-privilege role, `npm start` serving. The
// app moves money, verifies its own integrity and prunes, while the role it runs as cannot
// rewrite a single event.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { integrityReport } from '../lib/schemas/api-resources';
import { client } from './api/support';
import { processTree } from './support/own-server';
import { E2E_OWN_SERVER_PORT } from './support/ports';
import { createScratchDatabase } from './support/scratch-database';

const APP_PASSWORD = `app-${randomUUID()}`;

/** Runs a script like a terminal would; resolves with its exit code and output. */
function runScript(script: string, args: string[], env: Record<string, string>, input = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(path.join('node_modules', '.bin', 'tsx'), [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

test('the least-privilege production set-up works end to end', async ({ request }) => {
  test.setTimeout(180_000);
  // An empty database: nothing migrated yet.
  const database = await createScratchDatabase({ migrated: false });
  const ownerUrl = database.url;
  const appUrl = (() => {
    const url = new URL(ownerUrl);
    url.username = 'chronicle_app';
    url.password = APP_PASSWORD;
    return url.toString();
  })();
  let server: ChildProcess | undefined;
  try {
    // 1. The schema owner migrates.
    const migrated = await runScript('scripts/migrate.ts', [], { DATABASE_URL: ownerUrl });
    expect(migrated.code, migrated.stderr).toBe(0);
    // 2. The role script, run as documented: the password as a setting, not in the file.
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      await owner.query(`SET chronicle.app_password = '${APP_PASSWORD}'`);
      await owner.query(await readFile('docs/sql/least-privilege-role.sql', 'utf8'));
    } finally {
      await owner.end();
    }
    // 3. The first admin and an API key, with the command-line tools running as the app role.
    const env = { DATABASE_URL: appUrl, NEXTAUTH_SECRET: 'least-privilege-e2e-secret-0123456789' };
    const adminEmail = `admin-${randomUUID().slice(0, 6)}@example.test`;
    const user = await runScript(
      'scripts/user-create.ts',
      ['--email', adminEmail, '--role', 'admin'],
      env,
      'a long admin password\n',
    );
    expect(user.code, user.stderr).toBe(0);
    const key = await runScript(
      'scripts/apikey-create.ts',
      ['--name', 'payments', '--role', 'support', '--owner', adminEmail],
      env,
    );
    expect(key.code, key.stderr).toBe(0);
    const apiKey = key.stdout.trim().split('\n').at(-1) as string;

    // 4. npm start as the app role, with the owner's URL for migrations.
    const port = E2E_OWN_SERVER_PORT;
    const output: string[] = [];
    server = spawn(path.join('node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      env: {
        ...process.env,
        ...env,
        DATABASE_MIGRATION_URL: ownerUrl,
        PORT: String(port),
        NEXTAUTH_URL: `http://localhost:${port}`,
        CHRONICLE_INTEGRITY_INTERVAL_MS: '300',
        CHRONICLE_MAINTENANCE_INTERVAL_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    server.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const base = `http://localhost:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, {
        timeout: 90_000,
      })
      .toBe(200);
    expect(output.join('')).toContain('the schema is up to date');
    // The server runs without the schema owner's credentials.
    const servers = [];
    for (const pid of processTree(server.pid as number)) {
      const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (command.includes('scripts/serve.ts')) servers.push(pid);
    }
    expect(servers.length).toBeGreaterThan(0);
    for (const pid of servers) {
      const environment = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
      expect(environment).not.toContain('DATABASE_MIGRATION_URL');
      expect(environment).not.toContain(ownerUrl);
    }

    // 5. The app moves money and keeps its own books as the app role.
    const api = client(request, apiKey);
    const accountId = `acc_lp_${randomUUID().slice(0, 8)}`;
    const opened = await api.post(`${base}/api/v1/accounts`, {
      id: accountId,
      ownerId: 'cust_lp',
      currency: 'USD',
      initialBalance: '100.00',
    });
    expect(opened.status(), await opened.text()).toBe(201);
    const charge = await api.post(`${base}/api/v1/accounts/${accountId}/withdrawals`, {
      amount: '30.00',
    });
    expect(charge.status()).toBe(201);
    const chargeId = ((await charge.json()) as { events: Array<{ id: string }> }).events[0]?.id;
    const reversal = await api.post(`${base}/api/v1/reversals`, {
      originalEventId: chargeId,
      reason: 'dispute',
    });
    expect(reversal.status()).toBe(201);
    await expect
      .poll(
        async () =>
          integrityReport.parse(await (await api.get(`${base}/api/v1/integrity`)).json())
            .pendingEvents,
        { timeout: 30_000 },
      )
      .toBe(0);
    expect(integrityReport.parse(await (await api.get(`${base}/api/v1/integrity`)).json()).ok).toBe(
      true,
    );
    expect(output.join('')).not.toMatch(/permission denied/i);

    // 6. The role the app runs as cannot rewrite history, trigger or no trigger.
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    try {
      await expect(app.query("UPDATE events SET type = 'x'")).rejects.toThrow(/permission denied/);
      await expect(app.query('DELETE FROM events')).rejects.toThrow(/permission denied/);
      await expect(app.query('ALTER TABLE events DISABLE TRIGGER ALL')).rejects.toThrow(
        /must be owner/,
      );
    } finally {
      await app.end();
    }
  } finally {
    if (server?.pid) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    await database.drop();
  }
});
