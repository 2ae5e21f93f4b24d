// A production server of a test's own, for tests that must observe the server process itself
// (its memory) or start it with settings of their own. It serves the e2e database.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export interface OwnServer {
  readonly url: string;
  readonly pid: number;
  /** Resident memory of the server and its child processes, in bytes. */
  residentBytes(): number;
  stop(): Promise<void>;
}

export async function startOwnServer(
  port: number,
  env: Record<string, string> = {},
): Promise<OwnServer> {
  const url = `http://localhost:${port}`;
  // Chronicle's own server, as `npm start` and the other browser tests run it.
  const child: ChildProcess = spawn(
    path.join('node_modules', '.bin', 'tsx'),
    ['scripts/serve.ts'],
    {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: 'e2e-secret-not-for-production-0123456789',
        NEXT_TELEMETRY_DISABLED: '1',
        // One process unless the test asks for workers.
        WEB_CONCURRENCY: '1',
        ...env,
      },
      stdio: 'ignore',
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the server on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid as number,
    residentBytes: () => processTree(child.pid as number).reduce((sum, pid) => sum + rss(pid), 0),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // SIGKILL: a graceful stop would wait for every open live-update stream to end.
      for (const pid of processTree(child.pid as number).reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      await exited;
    },
  };
}

function rss(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `root` and every process descended from it. */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index += 1) {
    for (const [pid, ppid] of parents) if (ppid === tree[index]) tree.push(pid);
  }
  return tree;
}

/**
 * Which process of `server` holds the server's end of the connection whose client end is on
 * `clientPort`: with several workers, the worker the cluster handed the connection to. Read from
 * /proc (the connection's socket, then the process with that socket open); undefined when the
 * connection is gone.
 */
export function processHolding(server: OwnServer, clientPort: number): number | undefined {
  const serverPort = Number(new URL(server.url).port);
  let inode: string | undefined;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const port = (address: string | undefined) =>
        Number.parseInt(address?.split(':')[1] ?? '', 16);
      if (port(fields[1]) === serverPort && port(fields[2]) === clientPort) inode = fields[9];
    }
  }
  if (!inode) return undefined;
  const socket = `socket:[${inode}]`;
  // Deepest last: the supervisor may hold a connection for a moment while handing it over.
  return processTree(server.pid)
    .filter((pid) => {
      try {
        return readdirSync(`/proc/${pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${pid}/fd/${fd}`) === socket;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    })
    .at(-1);
}
