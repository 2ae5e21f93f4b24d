// The embedded PostgreSQL itself (not the server the other integration tests share): where it
// puts its data, how it fails, and that it never outlives the script that started it. As root it
// runs as the `postgres` user, so these tests prove the root case when run as root (as CI does).

import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, lstat, mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { isRoot, serverAccount } from './embedded-postgres-account';
import { startEmbeddedPostgres, startThrowawayPostgres } from './embedded-postgres';
import { EmbeddedPostgresError } from './embedded-postgres-error';

const ROOT = process.cwd();
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const made: string[] = [];

/** A new directory that only we may enter (mkdtemp makes it 0700). */
async function privateDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `chronicle-${label}-`));
  made.push(dir);
  return dir;
}

/** A new directory every user may enter, as the system's temporary directory is. */
async function openDir(label: string): Promise<string> {
  const dir = await privateDir(label);
  await chmod(dir, 0o755);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] as object)[0];
  } finally {
    await client.end();
  }
}

/** The uid the server runs as: the `postgres` user's when we are root, ours otherwise. */
async function serverUid(): Promise<number> {
  return (await serverAccount(() => undefined))?.uid ?? (process.getuid?.() as number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) for a process to be gone; a server shuts down in well under a second. */
async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}

function runMigrate(cloneDir: string, sharedDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CHRONICLE_EMBEDDED_DIR: sharedDir };
  delete env.DATABASE_URL;
  return spawnSync(TSX, [path.join(ROOT, 'scripts', 'migrate.ts')], {
    cwd: cloneDir,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('the embedded PostgreSQL', () => {
  it('serves a clone inside a directory closed to other users, and keeps its data there across starts', async () => {
    const clone = path.join(await privateDir('closed'), 'clone');
    await cp(path.join(ROOT, 'prisma', 'migrations'), path.join(clone, 'prisma', 'migrations'), {
      recursive: true,
    });
    const shared = await openDir('shared');

    const first = runMigrate(clone, shared);

    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\)/);
    const dataLink = path.join(clone, '.data', 'postgres');
    let dataDir = dataLink;
    if (isRoot()) {
      // The postgres user cannot enter the clone: the data lives in the shared place, linked.
      expect((await lstat(dataLink)).isSymbolicLink()).toBe(true);
      dataDir = await readlink(dataLink);
      expect(dataDir.startsWith(path.join(shared, 'clones') + path.sep)).toBe(true);
    } else {
      expect((await lstat(dataLink)).isDirectory()).toBe(true);
    }
    expect(first.stdout).toContain(`data in ${dataLink === dataDir ? '.data/postgres' : dataDir}`);
    expect((await stat(dataDir)).uid).toBe(await serverUid());

    const second = runMigrate(clone, shared);

    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/database is up to date/);
    expect(second.stdout).not.toMatch(/initialised a new PostgreSQL data directory/);
  }, 240_000);

  it('runs a throw-away server as the server account and deletes its data on stop', async () => {
    const parent = await openDir('scratch');

    const server = await startThrowawayPostgres({ parentDir: parent });
    const [dir] = await readdir(parent);

    expect(await scalar(server.url, 'SELECT 41 + 1 AS answer')).toBe(42);
    expect((await stat(path.join(parent, dir as string, 'data'))).uid).toBe(await serverUid());
    await server.stop();
    expect(await readdir(parent)).toEqual([]);
  }, 120_000);

  it('says in one line why a second server on the same data directory cannot start', async () => {
    const dataDir = path.join(await openDir('twice'), 'data');
    const first = await startEmbeddedPostgres({ dataDir, database: 'app', persistent: true });
    try {
      const second = startEmbeddedPostgres({ dataDir, database: 'app', persistent: true });

      const error = await second.then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect((error as EmbeddedPostgresError).failure).toBe('start');
      expect((error as Error).message).toMatch(/lock file "postmaster.pid" already exists/);
      expect((error as Error).message).toMatch(/stop it first/);
      expect((error as Error).message).not.toMatch(/\n/);
      expect(await scalar(first.url, 'SELECT current_database()')).toBe('app');
    } finally {
      await first.stop();
    }
  }, 120_000);

  it('stops a data directory that is not reachable with one line, before running anything', async () => {
    const closed = await privateDir('unreachable');
    // Closed to the server account: to `postgres` as root (0700 is enough), to us otherwise.
    if (!isRoot()) await chmod(closed, 0o000);
    const attempt = startEmbeddedPostgres({
      dataDir: path.join(closed, 'inner', 'data'),
      database: 'app',
      persistent: false,
    });
    const error = await attempt.then(
      () => null,
      (failure: unknown) => failure,
    );
    if (!isRoot()) await chmod(closed, 0o700);

    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect((error as EmbeddedPostgresError).failure).toBe('location');
    expect((error as Error).message).toMatch(/cannot (reach|create)/);
    expect((error as Error).message).toMatch(/DATABASE_URL/);
  }, 60_000);

  it('leaves the exit code of the script that used it alone', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join('test', 'fixtures', 'exit-code.ts')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  }, 120_000);

  it('stops its server and deletes throw-away data when the script is sent SIGTERM', async () => {
    const parent = await openDir('signal');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join('test', 'fixtures', 'hold-server.ts'), parent],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const { pid } = await new Promise<{ pid: number }>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()))),
    );
    expect(isAlive(pid)).toBe(true);

    child.kill('SIGTERM');

    expect(await ended).toBe('SIGTERM');
    expect(await waitUntilGone(pid)).toBe(true);
    expect(await readdir(parent)).toEqual([]);
  }, 120_000);

  it('does not let its server outlive a script that exits without stopping it', async () => {
    const parent = await openDir('exit');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join('test', 'fixtures', 'hold-server.ts'), parent, 'exit'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.status).toBe(0);
    const { pid } = JSON.parse(result.stdout) as { pid: number };

    expect(await waitUntilGone(pid)).toBe(true);
  }, 120_000);
});
