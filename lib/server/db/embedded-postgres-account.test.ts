import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canReach, isRoot, serverAccount, SERVER_ACCOUNT_NAME } from './embedded-postgres-account';

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'chronicle-reach-'));
  await chmod(workDir, 0o755);
});

afterEach(async () => {
  // A directory closed to us (as a normal user) must be reopened before it can be deleted.
  await chmod(path.join(workDir, 'closed'), 0o700).catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
});

/**
 * A mode that shuts the server account out: as root the server runs as `postgres`, which a
 * private (0700) root-owned directory keeps out; otherwise it runs as us, and only 0000 does.
 */
const CLOSED_MODE = isRoot() ? 0o700 : 0o000;

describe('who runs the embedded PostgreSQL', () => {
  it('is the postgres system user when we are root, and we ourselves otherwise', async () => {
    const account = await serverAccount(() => undefined);
    if (isRoot()) {
      expect(account?.name).toBe(SERVER_ACCOUNT_NAME);
      expect(account?.uid).not.toBe(0);
    } else {
      expect(account).toBeNull();
    }
  });

  it('can reach a directory only if it can search it and every directory above it', async () => {
    const account = await serverAccount(() => undefined);
    const open = path.join(workDir, 'open');
    const closed = path.join(workDir, 'closed');
    const openInsideClosed = path.join(closed, 'inner');
    await mkdir(open, { mode: 0o755 });
    await mkdir(openInsideClosed, { recursive: true, mode: 0o755 });
    await chmod(open, 0o755);
    await chmod(openInsideClosed, 0o755);
    await chmod(closed, CLOSED_MODE);

    expect(await canReach(account, open)).toBe(true);
    expect(await canReach(account, closed)).toBe(false);
    expect(await canReach(account, openInsideClosed)).toBe(false);
    expect(await canReach(account, path.join(workDir, 'missing'))).toBe(false);
  });
});
