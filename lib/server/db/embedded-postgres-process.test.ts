import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot, serverAccount } from './embedded-postgres-account';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import {
  failureLine,
  initialiseCluster,
  startServer,
  StartFailure,
} from './embedded-postgres-process';

let workDir: string;
let binDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'chronicle-process-'));
  await chmod(workDir, 0o755);
  // Binaries inside a directory the server account cannot enter: the clone-in-`mktemp -d` case.
  binDir = path.join(workDir, 'closed', 'bin');
  await mkdir(binDir, { recursive: true });
  for (const name of ['initdb', 'postgres']) {
    await writeFile(path.join(binDir, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  await chmod(path.join(workDir, 'closed'), isRoot() ? 0o700 : 0o000);
});

afterEach(async () => {
  await chmod(path.join(workDir, 'closed'), 0o700);
  await rm(workDir, { recursive: true, force: true });
});

const binaries = () => ({
  dir: path.dirname(binDir),
  initdb: path.join(binDir, 'initdb'),
  postgres: path.join(binDir, 'postgres'),
});

describe('running the PostgreSQL binaries', () => {
  it('turns an initdb the server account cannot execute into one line, and cleans up', async () => {
    const account = await serverAccount(() => undefined);
    const dataDir = path.join(workDir, 'data');

    const error = await initialiseCluster({
      binaries: binaries(),
      account,
      dataDir,
      password: 'secret',
    }).then(
      () => null,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    expect((error as EmbeddedPostgresError).failure).toBe('initdb');
    expect((error as Error).message).toMatch(/could not run .*\/initdb.*\(spawn .* EACCES\)/);
    expect((error as Error).message).not.toMatch(/\n/);
    expect((error as Error).message).not.toContain('secret');
    // The password file never outlives initdb.
    expect((await readdir(workDir)).sort()).toEqual(['closed', 'data']);
  });

  it('turns a postgres the server account cannot execute into a start failure', async () => {
    const account = await serverAccount(() => undefined);
    const dataDir = path.join(workDir, 'data');
    await mkdir(dataDir);

    const error = await startServer({ binaries: binaries(), account, dataDir, port: 1 }).then(
      () => null,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(StartFailure);
    expect((error as StartFailure).reason).toMatch(/could not run .*\/postgres.*EACCES/);
    expect((error as StartFailure).isPortTaken).toBe(false);
  });

  it("picks the reason out of a tool's output", () => {
    expect(
      failureLine(
        '2026-11-27 06:00:00.000 UTC [42] LOG:  starting PostgreSQL 18.4\n' +
          '2026-11-27 06:00:00.001 UTC [42] FATAL:  lock file "postmaster.pid" already exists\n' +
          '2026-11-27 06:00:00.001 UTC [42] HINT:  Is another postmaster (PID 41) running?\n',
      ),
    ).toBe('FATAL: lock file "postmaster.pid" already exists');
    expect(failureLine('initdb: error: directory "/x" exists but is not empty\n')).toBe(
      'initdb: error: directory "/x" exists but is not empty',
    );
    expect(failureLine('')).toBe('no output');
  });
});
