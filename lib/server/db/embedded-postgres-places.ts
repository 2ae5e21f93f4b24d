// Where the embedded PostgreSQL keeps its data.
//
// As a normal user: in the clone, .data/postgres, as always. As root the server runs as the
// `postgres` user (embedded-postgres-account.ts), which must be able to reach the directory above
// its data. A clone inside a directory closed to other users (the root user's home, a `mktemp -d`)
// is out of its reach, so the demo data then lives outside the clone, under
// <CHRONICLE_EMBEDDED_DIR, default /var/lib/chronicle>/clones/<clone name>-<hash of its path>/postgres,
// and .data/postgres becomes a symbolic link to it: `ls -l .data` shows where the data is, and the
// choice, once made, sticks (a later start follows the link even if the clone has since been opened).
// Throw-away test servers go to the temporary directory, or under <…>/tmp when that one is closed.
//
// "Reachable" is decided by asking as the server account (canReach), not by always moving out
// when root: a root user whose clone is reachable keeps the data it already has in .data/postgres.

import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeOpenDir } from './embedded-postgres-binaries';
import { EmbeddedPostgresError, errorCode, reasonOf } from './embedded-postgres-error';

export const DEFAULT_EMBEDDED_DIR = '/var/lib/chronicle';

/** Where, as root, the binaries copy and any data the `postgres` user cannot reach in place live. */
export function embeddedDir(): string {
  return path.resolve(process.env.CHRONICLE_EMBEDDED_DIR || DEFAULT_EMBEDDED_DIR);
}

/** A directory name for a clone: readable, and unique to its path. */
export function cloneName(cloneDir: string): string {
  const real = existsSync(cloneDir) ? realpathSync(cloneDir) : path.resolve(cloneDir);
  const readable = path.basename(real).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return `${readable}-${createHash('sha256').update(real).digest('hex').slice(0, 12)}`;
}

/** A path for messages: relative when it is inside the working directory, absolute otherwise. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * Decides where the persistent demo database lives and returns that directory.
 * - `dataDir` is a link (an earlier start placed the data outside): where it points.
 * - `dataDir` is a directory (today's layout): there, if the server account can reach it.
 * - nothing yet: `dataDir` if its parent is reachable; otherwise `outsideDir`, linked from `dataDir`.
 */
export async function placeDemoDataDir(options: {
  dataDir: string;
  outsideDir: string;
  cloneDir: string;
  isReachable: (dir: string) => Promise<boolean>;
  log: (message: string) => void;
}): Promise<string> {
  const { dataDir, outsideDir } = options;
  const linked = await linkTarget(dataDir);
  if (linked) return linked;
  const parent = path.dirname(dataDir);
  if (existsSync(dataDir)) {
    if (await options.isReachable(parent)) return dataDir;
    throw new EmbeddedPostgresError(
      'location',
      `${dataDir} holds a database the postgres user cannot reach (a directory above it is closed to other users): move it out with \`mkdir -p ${path.dirname(outsideDir)} && mv ${dataDir} ${outsideDir} && mv ${dataDir}.credentials.json ${outsideDir}.credentials.json && ln -s ${outsideDir} ${dataDir}\`, or delete it to start over with fresh demo data.`,
    );
  }
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw new EmbeddedPostgresError(
      'location',
      `cannot create ${parent} for the demo database (${reasonOf(error)}): run from a clone you can write to, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  if (await options.isReachable(parent)) return dataDir;

  const home = path.dirname(outsideDir);
  try {
    await makeOpenDir(home);
    // So whoever looks in the shared directory knows whose data this is.
    await writeFile(path.join(home, 'clone-path'), `${options.cloneDir}\n`);
  } catch (error) {
    throw new EmbeddedPostgresError(
      'location',
      `this clone is closed to the postgres user (PostgreSQL refuses to run as root), and its data cannot go to ${home} either (${reasonOf(error)}). Set CHRONICLE_EMBEDDED_DIR to a writable directory other users can enter, open the clone's parent directories (chmod o+x), or set DATABASE_URL.`,
      { cause: error },
    );
  }
  try {
    await symlink(outsideDir, dataDir);
  } catch (error) {
    // Another start placed it at the same moment: its link names the same place.
    if (errorCode(error) !== 'EEXIST') throw error;
    return (await linkTarget(dataDir)) ?? outsideDir;
  }
  options.log(
    `this clone is closed to the postgres user: its demo database lives in ${outsideDir} (${displayPath(dataDir)} links there)`,
  );
  return outsideDir;
}

async function linkTarget(file: string): Promise<string | null> {
  try {
    return path.resolve(path.dirname(file), await readlink(file));
  } catch {
    return null;
  }
}
