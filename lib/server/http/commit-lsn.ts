// Read-your-writes at the edges, for reads that may run on a replica (lib/server/db/read-pool.ts).
// After a command, the edge remembers the primary's WAL position for the caller and hands it back:
// to a browser as a short-lived HttpOnly cookie (every worker process and instance then sees it,
// whichever one served the write), to an API client as a response header it may send back on its
// next reads. This process also remembers positions itself (a fallback: the same user's other
// sessions, a cookie not yet visible). An API client that sends nothing back is read as of the
// moment it asks: no process can know what it wrote through another.

import { cookies } from 'next/headers';
import type { ApiCaller } from '../api-keys/authenticate-api-key';
import type { Queryable } from '../db/pool';
import {
  COMMIT_LSN_TTL_S,
  formatLsn,
  hasReplicas,
  readPoolFor,
  rememberCommit,
  snapshotFor,
  type SnapshotReader,
} from '../db/read-pool';

export const COMMIT_LSN_COOKIE = 'chronicle_lsn';
/** On answers to API commands: where the primary's WAL stood once the command had committed. */
export const COMMIT_LSN_HEADER = 'X-Chronicle-Commit-LSN';
/** On API reads: "include at least what was committed by then" (a COMMIT_LSN_HEADER value). */
export const MIN_LSN_HEADER = 'X-Chronicle-Min-LSN';

/** Where a signed-in browser user's heavy reads run (pages and the back office's own routes). */
export async function sessionReads(userId: string): Promise<Queryable> {
  // Without replicas the cookie means nothing: the primary pool, exactly as before.
  if (!hasReplicas()) return readPoolFor();
  const brought = (await cookies()).get(COMMIT_LSN_COOKIE)?.value;
  return readPoolFor({ caller: `user:${userId}`, minLsn: brought });
}

/** As sessionReads, for a read that needs one snapshot (see snapshotFor). */
export async function sessionSnapshot(userId: string): Promise<SnapshotReader> {
  if (!hasReplicas()) return snapshotFor();
  const brought = (await cookies()).get(COMMIT_LSN_COOKIE)?.value;
  return snapshotFor({ caller: `user:${userId}`, minLsn: brought });
}

/**
 * Where an API caller's heavy reads run. A client may spread its requests over several processes
 * and instances, and need not send back what it was given; so without MIN_LSN_HEADER the answer
 * is as of the moment the read begins (one tiny query on the primary, and the replica's catching
 * up: a few milliseconds), never older than a write the caller made anywhere.
 */
export function apiReads(request: Request, caller: ApiCaller | null): Queryable {
  return readPoolFor({
    caller: caller?.actor,
    minLsn: request.headers.get(MIN_LSN_HEADER),
    isUnknownCurrent: true,
  });
}

/**
 * Where the event feed reads. A feed page that ends earlier is still right — the next page goes
 * on from where it ends — so the feed takes a replica within the lag bound, unless the consumer
 * brings a position.
 */
export function apiFeedReads(request: Request, caller: ApiCaller | null): Queryable {
  return readPoolFor({ caller: caller?.actor, minLsn: request.headers.get(MIN_LSN_HEADER) });
}

/** After a server action's command committed: remember its position and set the cookie. */
export async function rememberBrowserCommit(userId: string): Promise<void> {
  const lsn = await rememberCommit(`user:${userId}`);
  if (lsn === null) return;
  try {
    (await cookies()).set(COMMIT_LSN_COOKIE, formatLsn(lsn), {
      httpOnly: true,
      sameSite: 'lax',
      secure: process.env.NEXTAUTH_URL?.startsWith('https://') ?? false,
      path: '/',
      maxAge: COMMIT_LSN_TTL_S,
    });
  } catch {
    // Outside a request (a script or test calling the action): this instance remembers it anyway.
  }
}

/** After an API command: remember its position; the value for COMMIT_LSN_HEADER, if any. */
export async function rememberApiCommit(caller: ApiCaller): Promise<string | null> {
  const lsn = await rememberCommit(caller.actor);
  return lsn === null ? null : formatLsn(lsn);
}
