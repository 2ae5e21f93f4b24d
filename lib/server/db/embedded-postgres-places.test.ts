import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { cloneName, placeDemoDataDir } from './embedded-postgres-places';

let workDir: string;
let clone: string;
let dataDir: string;
let outsideDir: string;
let messages: string[];

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'chronicle-places-'));
  clone = path.join(workDir, 'clone');
  await mkdir(clone);
  dataDir = path.join(clone, '.data', 'postgres');
  outsideDir = path.join(workDir, 'shared', 'clones', 'clone-abc', 'postgres');
  messages = [];
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** The rule under test takes the reachability answer as given; canReach is tested on its own. */
function place(isReachable: boolean) {
  return placeDemoDataDir({
    dataDir,
    outsideDir,
    cloneDir: clone,
    isReachable: async () => isReachable,
    log: (message) => messages.push(message),
  });
}

async function failureOf(promise: Promise<unknown>): Promise<EmbeddedPostgresError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(EmbeddedPostgresError);
  return error as EmbeddedPostgresError;
}

describe('where the demo database lives', () => {
  it('stays in .data/postgres when the server account can reach the clone', async () => {
    expect(await place(true)).toBe(dataDir);
    expect(existsSync(path.dirname(dataDir))).toBe(true);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(outsideDir)).toBe(false);
  });

  it('moves outside a clone the server account cannot reach, linked from .data/postgres', async () => {
    expect(await place(false)).toBe(outsideDir);

    expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
    expect(await readlink(dataDir)).toBe(outsideDir);
    expect(await readFile(path.join(path.dirname(outsideDir), 'clone-path'), 'utf8')).toBe(
      `${clone}\n`,
    );
    expect(messages.join('\n')).toContain(`its demo database lives in ${outsideDir}`);
  });

  it('keeps following the link once the data has moved out, even if the clone is opened later', async () => {
    await place(false);

    expect(await place(true)).toBe(outsideDir);
  });

  it('keeps an existing .data/postgres directory the server account can reach', async () => {
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'PG_VERSION'), '18\n');

    expect(await place(true)).toBe(dataDir);
  });

  it('says in one line how to move an existing .data/postgres the server account cannot reach', async () => {
    await mkdir(dataDir, { recursive: true });

    const error = await failureOf(place(false));

    expect(error.failure).toBe('location');
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).toContain(`mv ${dataDir} ${outsideDir}`);
    expect(error.message).toContain(`ln -s ${outsideDir} ${dataDir}`);
    expect(error.message).toMatch(/or delete it to start over/);
    expect(existsSync(outsideDir)).toBe(false);
  });

  it('says in one line what to do when the outside place cannot be created', async () => {
    // A file where a directory should be: no user, root included, can create anything under it.
    await writeFile(path.join(workDir, 'shared'), 'not a directory');

    const error = await failureOf(place(false));

    expect(error.failure).toBe('location');
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).toMatch(/CHRONICLE_EMBEDDED_DIR/);
    expect(error.message).toMatch(/DATABASE_URL/);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('naming a clone in the shared place', () => {
  it('is readable, stable, and distinct for clones with the same name in different places', () => {
    expect(cloneName('/root/work/chronicle')).toMatch(/^chronicle-[0-9a-f]{12}$/);
    expect(cloneName('/root/work/chronicle')).toBe(cloneName('/root/work/chronicle'));
    expect(cloneName('/root/work/chronicle')).not.toBe(cloneName('/home/ada/chronicle'));
    expect(cloneName('/tmp/my clone; rm -rf')).toMatch(/^my_clone__rm_-rf-[0-9a-f]{12}$/);
  });
});
