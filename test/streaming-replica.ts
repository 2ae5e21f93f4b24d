// A real PostgreSQL primary with a real streaming standby, for tests of reads on replicas. The
// system PostgreSQL does not accept replication connections (and tests must not change its
// configuration), so both servers come from the embedded binaries, as the embedded test database
// does: as root they run as the `postgres` user, with their data where that user can reach it.
//
// The standby needs no pg_basebackup (the embedded package has none): a cluster that initdb has
// just created and shut down cleanly is copied before the primary ever starts, and the copy
// becomes a standby (standby.signal and primary_conninfo). It then streams everything the primary
// writes from its first start on, migrations included.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFile,
  chmod,
  chown,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { canReach, serverAccount } from '../lib/server/db/embedded-postgres-account';
import { freePort } from '../lib/server/db/embedded-postgres';
import { makeOpenDir, reachableBinaries } from '../lib/server/db/embedded-postgres-binaries';
import { embeddedDir } from '../lib/server/db/embedded-postgres-places';
import {
  initialiseCluster,
  startServer,
  StartFailure,
  SUPERUSER,
  type ClusterPlace,
  type ServerProcess,
} from '../lib/server/db/embedded-postgres-process';

const run = promisify(execFile);

export interface ReplicatedServers {
  /** The primary's maintenance database (`postgres`), as the superuser. */
  readonly primaryUrl: string;
  /** The same database on the standby. */
  readonly standbyUrl: string;
  /** Stops the standby only: a dead replica. */
  stopStandby(): Promise<void>;
  /**
   * Freezes the standby (SIGSTOP to its postmaster and every backend): a replica that accepts
   * connections and queries but never answers, as one behind a dead network path does. The
   * returned function thaws it.
   */
  freezeStandby(): Promise<() => Promise<void>>;
  /** Stops both servers and deletes their data; safe to call more than once. */
  stop(): Promise<void>;
}

async function startOnFreePort(
  place: ClusterPlace,
): Promise<{ server: ServerProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { server: await startServer({ ...place, port }), port };
    } catch (error) {
      if (!(error instanceof StartFailure && error.isPortTaken && attempt < 3)) throw error;
    }
  }
}

/** A directory both we and the server account can enter, deleted by stop(). */
async function scratchDir(account: Awaited<ReturnType<typeof serverAccount>>): Promise<string> {
  let parent = path.resolve(process.env.CHRONICLE_TEST_TMP ?? tmpdir());
  if (account && !(await canReach(account, parent))) {
    parent = path.join(embeddedDir(), 'tmp');
    await makeOpenDir(parent);
  }
  const dir = await mkdtemp(path.join(parent, 'chronicle-replica-test-'));
  await chmod(dir, 0o755);
  return dir;
}

/** The processes whose parent is `pid` (a postmaster's backends), from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // "pid (comm) state ppid …": the command may hold spaces and parentheses, so parse after ")".
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

export async function startReplicatedServers(): Promise<ReplicatedServers> {
  const log = () => undefined;
  const account = await serverAccount(log);
  const binaries = await reachableBinaries({ account, embeddedDir: embeddedDir(), log });
  const dir = await scratchDir(account);
  const servers: ServerProcess[] = [];
  let standby: ServerProcess | undefined;
  let stopping: Promise<void> | undefined;
  // A test process that dies without its afterAll must not leave servers behind.
  // Processes freezeStandby() stopped and nobody has thawed yet (a test that failed while the
  // standby was frozen): a stopped process cannot even take the signal that ends it.
  let frozen: number[] = [];
  const thawFrozen = () => {
    for (const pid of frozen.splice(0)) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Already gone.
      }
    }
  };
  const onExit = () => {
    thawFrozen();
    for (const server of servers) {
      try {
        process.kill(server.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
  };
  process.once('exit', onExit);
  const stop = () =>
    (stopping ??= (async () => {
      thawFrozen();
      await Promise.allSettled(servers.map((server) => server.stop()));
      process.off('exit', onExit);
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    const password = randomBytes(18).toString('base64url');
    const primaryDir = path.join(dir, 'primary');
    const standbyDir = path.join(dir, 'standby');
    await initialiseCluster({ binaries, account, dataDir: primaryDir, password });
    // cp -a keeps the owner (the server account, as root) and the 0700 mode PostgreSQL insists on.
    await run('cp', ['-a', primaryDir, standbyDir]);

    const primary = await startOnFreePort({ binaries, account, dataDir: primaryDir });
    servers.push(primary.server);
    const signal = path.join(standbyDir, 'standby.signal');
    const autoConf = path.join(standbyDir, 'postgresql.auto.conf');
    await writeFile(signal, '');
    // initdb's pg_hba.conf lets replication connections from 127.0.0.1 in with the password.
    await appendFile(
      autoConf,
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${SUPERUSER} password=${password} application_name=chronicle-test-standby'\n`,
    );
    if (account) {
      await chown(signal, account.uid, account.gid);
      await chown(autoConf, account.uid, account.gid);
    }
    const started = await startOnFreePort({ binaries, account, dataDir: standbyDir });
    standby = started.server;
    servers.push(standby);

    const url = (port: number) =>
      `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    const stoppedStandby = standby;
    return {
      primaryUrl: url(primary.port),
      standbyUrl: url(started.port),
      stopStandby: () => stoppedStandby.stop(),
      freezeStandby: async () => {
        frozen = [stoppedStandby.pid, ...(await childrenOf(stoppedStandby.pid))];
        for (const pid of frozen) process.kill(pid, 'SIGSTOP');
        return async () => thawFrozen();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
