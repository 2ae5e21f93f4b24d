// Which database the command-line scripts and `npm start` talk to: DATABASE_URL when set,
// otherwise the embedded server — the one a running `npm start` already owns, or a new one.

import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { canReach, serverAccount } from './embedded-postgres-account';
import { startEmbeddedPostgres } from './embedded-postgres';
import { cloneName, displayPath, embeddedDir, placeDemoDataDir } from './embedded-postgres-places';
import { DATA_DIR } from '../data-dir';

export { DATA_DIR };

/** The demo database: a directory, or (as root, in a clone closed to others) a link to one outside. */
const EMBEDDED_DATA_DIR = path.join(DATA_DIR, 'postgres');
/** Written while an embedded server is running, so other scripts can reuse it. */
const RUNNING_FILE = path.join(DATA_DIR, 'postgres.running.json');

export interface ResolvedDatabase {
  readonly url: string;
  /** True when no DATABASE_URL was given and the embedded server is in use (demo mode). */
  readonly isEmbedded: boolean;
  release(): Promise<void>;
}

export async function resolveDatabase(log: (message: string) => void): Promise<ResolvedDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, isEmbedded: false, release: async () => undefined };

  const running = await readRunningServer();
  if (running) {
    log(`using the embedded PostgreSQL already running on port ${running.port}`);
    return { url: running.url, isEmbedded: true, release: async () => undefined };
  }
  const account = await serverAccount(log);
  const dataDir = await placeDemoDataDir({
    dataDir: EMBEDDED_DATA_DIR,
    outsideDir: path.join(embeddedDir(), 'clones', cloneName(process.cwd()), 'postgres'),
    cloneDir: process.cwd(),
    isReachable: (dir) => canReach(account, dir),
    log,
  });
  log(
    `DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${displayPath(dataDir)})`,
  );
  const server = await startEmbeddedPostgres({
    dataDir,
    database: 'chronicle',
    persistent: true,
    log,
  });
  await writeFile(
    RUNNING_FILE,
    JSON.stringify({ url: server.url, port: server.port, pid: process.pid }),
    { mode: 0o600 },
  );
  return {
    url: server.url,
    isEmbedded: true,
    release: async () => {
      await rm(RUNNING_FILE, { force: true });
      await server.stop();
    },
  };
}

async function readRunningServer(): Promise<{ url: string; port: number } | null> {
  if (!existsSync(RUNNING_FILE)) return null;
  try {
    const running = JSON.parse(await readFile(RUNNING_FILE, 'utf8')) as {
      url: string;
      port: number;
      pid: number;
    };
    process.kill(running.pid, 0);
    const client = new pg.Client({ connectionString: running.url, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
    return running;
  } catch {
    // The process that wrote the file is gone (or its server is): the file is stale.
    await rm(RUNNING_FILE, { force: true });
    return null;
  }
}
