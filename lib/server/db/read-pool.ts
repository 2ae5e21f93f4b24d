// Where heavy reads run (docs/decisions/014-reads-on-replicas.md). With DATABASE_REPLICA_URL set
// (one URL, or several separated by commas), time travel, timelines, the audit log and its export,
// statements and the global feed read from PostgreSQL streaming replicas; commands and everything
// else stay on the primary (getPool()). Without it, readPoolFor() IS the primary pool and nothing
// here runs a query.
//
// A replica's answer is never allowed to be wrong, only the primary's answer slower:
// - Read-your-writes: after a command commits, the edge calls rememberCommit(caller), which reads
//   a WAL position of the primary at or past the end of that commit's record, and keeps it for the
//   caller (here, and in a cookie or response header the caller sends back). A read for a caller
//   with such a position waits briefly for the replica to have replayed it, else reads the
//   primary. A reader that may have written elsewhere without saying so (an API client) reads as
//   of the moment it asks: the primary's position then is the one to wait for.
// - Bounded staleness for everyone else: a replica serves only while it has replayed what the
//   primary had flushed at most maxLagMs ago, checked about once a second.
// - A replica that fails (refused, timed out, cut off, or any error from a query) is skipped for a
//   few seconds, and the query runs again on the primary: reads have no side effects.

import pg from 'pg';
import { errorMessage, logLine } from '../log';
import { AppError } from '../../errors';
import { createPool, getPool, sqlState, withSnapshot, type Pool, type Queryable } from './pool';

/** A WAL position: PostgreSQL's `16/B374D848`, as the 64-bit number it stands for. */
export type Lsn = bigint;

/** Who reads, so that the answer includes what they wrote. */
export interface Reader {
  /** The actor their commands are recorded under: `user:<id>` or `api_key:<id>`. */
  readonly caller?: string | null | undefined;
  /** A commit position the reader brought (cookie or header), as PostgreSQL prints it. */
  readonly minLsn?: string | null | undefined;
  /**
   * When the reader brought no position: true answers as of the moment the read begins (the
   * primary's WAL position then), for readers who may have written through another process
   * without saying so (API clients); absent, a replica within the lag bound will do — right for
   * browsers, whose every write sets the cookie.
   */
  readonly isUnknownCurrent?: boolean;
}

/** "Whatever the primary has when the read begins": asked only if a replica could serve. */
const CURRENT = 'current';

const DEFAULT_WAIT_MS = 75;
const DEFAULT_MAX_LAG_MS = 5_000;
/** The cookie that carries a browser's last commit position lives this long; see below. */
export const COMMIT_LSN_TTL_S = 60;
/**
 * A caller without a known position is trusted to a replica at most this far behind (plus one
 * probe interval); it must stay well under the cookie's lifetime, or a write older than the cookie
 * could still be missing from the replica.
 */
const MAX_LAG_MS_MAX = 30_000;
const PROBE_INTERVAL_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_000;
/** A replica that failed is not asked again for this long. */
const UNREACHABLE_MS = 5_000;
const REPLAY_POLL_MS = 5;
/** A dead replica must cost little: much shorter than the primary's 10 s. */
const REPLICA_CONNECT_TIMEOUT_MS = 2_000;
/**
 * A replica query that has not answered by then is given up on (and cancelled there) and asked
 * of the primary: a replica that hangs (a frozen host, a dead network path) must cost time, not
 * the answer. Heavy reads take milliseconds to a few seconds; the primary has no such bound.
 */
const DEFAULT_QUERY_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MS_MAX = 300_000;
/** Callers whose last commit position this process keeps; the oldest write is forgotten first. */
const REMEMBERED_CALLERS_MAX = 10_000;

interface Replica {
  /** host:port, never the credentials. */
  readonly label: string;
  readonly pool: Pool;
  /** The highest replay position seen; it only grows. */
  replayedLsn: Lsn;
  /** Whether the last probe found it no further behind than maxLagMs. */
  isFresh: boolean;
  checkedAt: number;
  unreachableUntil: number;
  probing: Promise<void> | null;
}

interface Routing {
  readonly replicas: readonly Replica[];
  readonly waitMs: number;
  readonly maxLagMs: number;
  /** The primary's flushed position, sampled by each probe, oldest first, kept for maxLagMs. */
  readonly samples: Array<{ readonly at: number; readonly lsn: Lsn }>;
  readonly commits: Map<string, Lsn>;
  cursor: number;
  close(): Promise<void>;
}

const LSN_PATTERN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** Null for anything that is not a WAL position (a cookie or header is the caller's to forge). */
export function parseLsn(text: string | null | undefined): Lsn | null {
  const match = LSN_PATTERN.exec(text?.trim() ?? '');
  if (!match?.[1] || !match[2]) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

function later(a: Lsn | null, b: Lsn | null): Lsn | null {
  if (a === null) return b;
  return b === null || a > b ? a : b;
}

export function formatLsn(lsn: Lsn): string {
  const hex = (half: bigint) => half.toString(16).toUpperCase();
  return `${hex(lsn >> 32n)}/${hex(lsn & 0xffffffffn)}`;
}

function setting(name: string, fallback: number, max: number): number {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isSafeInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}

function labelOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'replica';
  }
}

// On globalThis for the same reason as the primary pool: Next.js may load this module more than
// once, and every copy must share one set of pools, health and remembered positions.
const globalForRouting = globalThis as unknown as { chronicleReadRouting?: Routing | null };

function routing(): Routing | null {
  if (globalForRouting.chronicleReadRouting !== undefined)
    return globalForRouting.chronicleReadRouting;
  const urls = (process.env.DATABASE_REPLICA_URL ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urls.length === 0) return (globalForRouting.chronicleReadRouting = null);
  const size = Number.parseInt(process.env.DATABASE_POOL_SIZE ?? '', 10);
  const replicas: Replica[] = urls.map((url) => ({
    label: labelOf(url),
    pool: createPool(url, {
      max: Number.isSafeInteger(size) && size > 0 ? size : undefined,
      applicationName: 'chronicle-replica-reads',
      connectionTimeoutMs: REPLICA_CONNECT_TIMEOUT_MS,
      queryTimeoutMs: Math.max(
        setting(
          'CHRONICLE_REPLICA_QUERY_TIMEOUT_MS',
          DEFAULT_QUERY_TIMEOUT_MS,
          QUERY_TIMEOUT_MS_MAX,
        ),
        100,
      ),
    }),
    replayedLsn: 0n,
    isFresh: false,
    checkedAt: Number.NEGATIVE_INFINITY,
    unreachableUntil: 0,
    probing: null,
  }));
  const created: Routing = {
    replicas,
    waitMs: setting('CHRONICLE_REPLICA_WAIT_MS', DEFAULT_WAIT_MS, 5_000),
    maxLagMs: setting('CHRONICLE_REPLICA_MAX_LAG_MS', DEFAULT_MAX_LAG_MS, MAX_LAG_MS_MAX),
    samples: [],
    commits: new Map(),
    cursor: 0,
    async close() {
      await Promise.all(replicas.map((replica) => replica.pool.end()));
    },
  };
  return (globalForRouting.chronicleReadRouting = created);
}

/** Whether DATABASE_REPLICA_URL names any replica (read once per process). */
export function hasReplicas(): boolean {
  return routing() !== null;
}

/**
 * Where a heavy read runs: a healthy replica that has what `reader` wrote, else the primary. The
 * choice is made at the first query and kept for the rest (so the queries of one answer come from
 * one server, never going back in time), except that a replica failing or falling behind hands
 * the rest to the primary. Without replicas: the primary pool itself.
 */
export function readPoolFor(reader: Reader = {}): Queryable {
  const current = routing();
  if (!current) return getPool();
  return readSession(current, positionFor(current, reader));
}

/** Runs `work` against one consistent snapshot (a read-only repeatable-read transaction). */
export type SnapshotReader = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;

/**
 * Where a read that needs one snapshot runs (several queries that must agree, as the slider's
 * history windows): a transaction on a healthy replica that has what `reader` wrote, chosen as
 * readPoolFor chooses, else on the primary. A replica that fails during the transaction hands the
 * whole read to the primary: reads have no side effects. Without replicas: the primary.
 */
export function snapshotFor(reader: Reader = {}): SnapshotReader {
  return async (work) => {
    const current = routing();
    const replica = current ? await choose(current, positionFor(current, reader)) : null;
    if (replica) {
      try {
        return await withSnapshot(replica.pool, work);
      } catch (error) {
        // The read's own refusal (not found, bad input) is the answer wherever it runs.
        if (error instanceof AppError) throw error;
        if (isUnreachable(error)) markUnreachable(replica, error);
        else
          logLine('warn', 'replica snapshot read failed; asking the primary', {
            replica: replica.label,
            error: errorMessage(error),
          });
      }
    }
    return withSnapshot(getPool(), work);
  };
}

/** The WAL position a read for `reader` must include: its own last write, or "now", or none. */
function positionFor(current: Routing, reader: Reader): Lsn | typeof CURRENT | null {
  const brought = parseLsn(reader.minLsn);
  if (brought === null && reader.isUnknownCurrent) return CURRENT;
  const remembered = reader.caller ? (current.commits.get(reader.caller) ?? null) : null;
  return later(brought, remembered);
}

/**
 * Remembers where the primary's WAL stands now for `caller`, whose command has just committed,
 * and returns it for the edge to hand back (cookie, header). Called after the command resolved,
 * so the position is at or past its commit, whichever batch it shared. Null without replicas (no
 * query then) or when the primary cannot say: the command stands either way.
 */
export async function rememberCommit(caller: string): Promise<Lsn | null> {
  const current = routing();
  if (!current) return null;
  const lsn = await currentCommitLsn();
  if (lsn === null) return null;
  const earlier = current.commits.get(caller) ?? null;
  // Re-inserted, so the Map's order stays "least recently written first" for eviction.
  current.commits.delete(caller);
  current.commits.set(caller, later(earlier, lsn) ?? lsn);
  if (current.commits.size > REMEMBERED_CALLERS_MAX) {
    const oldest = current.commits.keys().next().value;
    if (oldest !== undefined) current.commits.delete(oldest);
  }
  return lsn;
}

export interface ReplicaStatus {
  readonly label: string;
  readonly isHealthy: boolean;
  /** How far its replay is behind the primary's flushed WAL, in bytes; null when unknown. */
  readonly lagBytes: number | null;
}

/** Each replica's health, probing those not checked in the last second; empty without replicas. */
export async function replicaStatuses(): Promise<ReplicaStatus[]> {
  const current = routing();
  if (!current) return [];
  await Promise.all(current.replicas.map((replica) => refreshIfDue(current, replica)));
  const head = current.samples[current.samples.length - 1]?.lsn ?? null;
  return current.replicas.map((replica) => ({
    label: replica.label,
    isHealthy: isHealthy(replica),
    lagBytes:
      head === null || replica.replayedLsn === 0n
        ? null
        : Number(head > replica.replayedLsn ? head - replica.replayedLsn : 0n),
  }));
}

/** Closes the replica pools and forgets everything (tests; closeGlobalDatabase does it too). */
export async function closeReadPools(): Promise<void> {
  const current = globalForRouting.chronicleReadRouting;
  delete globalForRouting.chronicleReadRouting;
  await current?.close();
}

type QueryArguments = [text: string | pg.QueryConfig, values?: unknown[]];

function readSession(current: Routing, minLsn: Lsn | typeof CURRENT | null): Queryable {
  let chosen: Promise<Replica | null> | null = null;
  async function query(...args: QueryArguments): Promise<pg.QueryResult> {
    const replica = await (chosen ??= choose(current, minLsn));
    if (replica) {
      await refreshIfDue(current, replica);
      if (isHealthy(replica)) {
        try {
          return await replica.pool.query(...args);
        } catch (error) {
          if (isUnreachable(error)) markUnreachable(replica, error);
          // Also a query a standby cannot run, or one cancelled by a conflict with replay: the
          // primary's answer (or its own error) is the one that counts.
          else
            logLine('warn', 'replica query failed; asking the primary', {
              replica: replica.label,
              error: errorMessage(error),
            });
        }
      }
      // From here on the primary answers: it is ahead of every replica, so the answer only moves
      // forward.
      chosen = Promise.resolve(null);
    }
    return getPool().query(...args);
  }
  // pg's query() has a dozen overloads; the heavy reads use the two above (text and values, or a
  // named statement's config), which is all a session passes on.
  return { query } as unknown as Queryable;
}

/** The next healthy replica (round-robin) that has replayed `minLsn` in time; null: the primary. */
async function choose(
  current: Routing,
  minLsn: Lsn | typeof CURRENT | null,
): Promise<Replica | null> {
  for (let tried = 0; tried < current.replicas.length; tried++) {
    const replica = current.replicas[current.cursor % current.replicas.length] as Replica;
    current.cursor = (current.cursor + 1) % current.replicas.length;
    await refreshIfDue(current, replica);
    if (!isHealthy(replica)) continue;
    if (minLsn === null) return replica;
    const target = minLsn === CURRENT ? await currentCommitLsn() : minLsn;
    // Without the primary's position, only the primary can answer "as of now".
    if (target === null) return null;
    return (await hasReplayed(replica, target, current.waitMs)) ? replica : null;
  }
  return null;
}

/**
 * A position at or past the end of every commit record the primary has acknowledged so far (see
 * docs/decisions/014-reads-on-replicas.md). Unless synchronous_commit is off, a commit is
 * acknowledged only once its record is flushed, so the flush position is enough — and it is what
 * a standby can have; the insert position would often point at records nobody waits for yet
 * (bgwriter's snapshots, hint bits), which stay unflushed for up to wal_writer_delay and would
 * send reads to the primary for nothing. With synchronous_commit off, only the insert position is
 * certain to be past an acknowledged commit. Null when the primary cannot say.
 */
async function currentCommitLsn(): Promise<Lsn | null> {
  try {
    const result = await getPool().query<{ lsn: string }>(
      `SELECT (CASE WHEN current_setting('synchronous_commit') = 'off'
                    THEN pg_current_wal_insert_lsn()
                    ELSE pg_current_wal_flush_lsn() END)::text AS lsn`,
    );
    return parseLsn(result.rows[0]?.lsn);
  } catch (error) {
    logLine('warn', 'could not read the WAL position', { error: errorMessage(error) });
    return null;
  }
}

function isHealthy(replica: Replica): boolean {
  return replica.isFresh && performance.now() >= replica.unreachableUntil;
}

/** Polls the replica's replay position until it reaches `lsn` or `waitMs` has passed. */
async function hasReplayed(replica: Replica, lsn: Lsn, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    if (replica.replayedLsn >= lsn) return true;
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) return false;
    try {
      const replayed = await withTimeout(readReplayLsn(replica), Math.max(remainingMs, 1));
      if (replayed === null) return false;
    } catch (error) {
      // Out of time is only that: a replica that does not answer at all is the probe's to find.
      if (!(error instanceof TimedOut) && isUnreachable(error)) markUnreachable(replica, error);
      return false;
    }
    if (replica.replayedLsn >= lsn) return true;
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
  }
}

/** The replica's replay position (also kept on it); null when it is not a standby at all. */
async function readReplayLsn(replica: Replica): Promise<Lsn | null> {
  const result = await replica.pool.query<{ lsn: string | null }>(
    'SELECT pg_last_wal_replay_lsn()::text AS lsn',
  );
  const lsn = parseLsn(result.rows[0]?.lsn);
  if (lsn === null) {
    // A promoted or misconfigured "replica" is a primary of its own: its data may have parted from
    // ours, so it is never read.
    replica.isFresh = false;
    return null;
  }
  if (lsn > replica.replayedLsn) replica.replayedLsn = lsn;
  return lsn;
}

/**
 * At most once a second per replica (readers arriving meanwhile share the probe): samples the
 * primary's flushed position, then judges the replica fresh when — within the read wait — it has
 * replayed what the primary had flushed at the oldest sample still inside maxLagMs. So a fresh
 * replica lacks at most the last maxLagMs of commits when probed, and one probe interval more
 * until the next probe.
 */
function refreshIfDue(current: Routing, replica: Replica): Promise<void> {
  const now = performance.now();
  if (replica.probing) return replica.probing;
  if (now - replica.checkedAt < PROBE_INTERVAL_MS || now < replica.unreachableUntil)
    return Promise.resolve();
  replica.probing = (async () => {
    let primaryLsn: Lsn | null;
    try {
      const result = await withTimeout(
        getPool().query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn'),
        PROBE_TIMEOUT_MS,
      );
      primaryLsn = parseLsn(result.rows[0]?.lsn);
    } catch {
      // Without the primary's position the replica's lag is unknown, so it is not trusted; reads
      // go to the primary, which will report its own failure.
      replica.isFresh = false;
      return;
    }
    if (primaryLsn === null) return;
    const at = performance.now();
    current.samples.push({ at, lsn: primaryLsn });
    while ((current.samples[0]?.at ?? at) < at - current.maxLagMs) current.samples.shift();
    const target = current.samples[0]?.lsn ?? primaryLsn;
    try {
      const wasFresh = replica.isFresh;
      replica.isFresh =
        (await withTimeout(readReplayLsn(replica), PROBE_TIMEOUT_MS)) !== null &&
        (await hasReplayed(replica, target, current.waitMs));
      if (wasFresh && !replica.isFresh)
        logLine('warn', 'replica is behind; reading from the primary', {
          replica: replica.label,
          lagBytes: Number(primaryLsn - replica.replayedLsn),
        });
    } catch (error) {
      markUnreachable(replica, error);
    }
  })().finally(() => {
    replica.checkedAt = performance.now();
    replica.probing = null;
  });
  return replica.probing;
}

/**
 * Errors that say the server, not the query, is the problem: anything the server did not answer
 * itself (refused, reset, timed out: Node's codes, not SQLSTATEs), connection exceptions (08),
 * operator intervention (57: shutting down, cancelled) and insufficient resources (53).
 */
function isUnreachable(error: unknown): boolean {
  return !(error instanceof pg.DatabaseError) || /^(08|57|53)/.test(sqlState(error) ?? '');
}

function markUnreachable(replica: Replica, error: unknown): void {
  if (performance.now() >= replica.unreachableUntil)
    logLine('warn', 'replica unreachable; reading from the primary', {
      replica: replica.label,
      error: errorMessage(error),
    });
  replica.isFresh = false;
  replica.unreachableUntil = performance.now() + UNREACHABLE_MS;
}

class TimedOut extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${Math.round(timeoutMs)} ms`);
    this.name = 'TimedOut';
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut(timeoutMs)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
