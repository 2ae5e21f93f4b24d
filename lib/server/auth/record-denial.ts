// The log of refused attempts (who, what, when), as JSON lines and in access_denials. It must not
// become a way to fill the disk: what a caller controls (the resource it aimed at) is cut to a
// bounded length, and each actor's refusals are recorded one by one only up to a rate; beyond it
// they are counted, and the count is recorded as soon as the actor's window is over.

import { getPool } from '../db/pool';
import { errorMessage, logLine } from '../log';

export interface Denial {
  /** `user:<id>`, `api_key:<id>`, or `anonymous`. */
  readonly actor: string;
  readonly role: string | null;
  /** The permission that was missing. */
  readonly action: string;
  /** What it was aimed at, when known (an account id, an event id). */
  readonly resource?: string | undefined;
  /** Which door: `web` (pages and server actions) or `api`. */
  readonly channel: 'web' | 'api';
}

export const MAX_RESOURCE_LENGTH = 200;
/** Refusals of one actor recorded one by one per window; the rest are counted. */
export const MAX_DENIALS_PER_WINDOW = 20;
export const DENIAL_WINDOW_MS = 60_000;
/** Actors tracked at once; the oldest windows are forgotten beyond it. */
const MAX_TRACKED_ACTORS = 10_000;

interface ActorWindow {
  startedAtMs: number;
  recorded: number;
  suppressed: number;
  /** The role and door of the refusals counted, for the summary row. */
  role: string | null;
  channel: Denial['channel'];
  /** Set while a flush of this window's count is scheduled. */
  flushTimer?: NodeJS.Timeout;
}

const globalForDenials = globalThis as unknown as {
  chronicleDenialWindows?: Map<string, ActorWindow>;
};

function windows(): Map<string, ActorWindow> {
  globalForDenials.chronicleDenialWindows ??= new Map();
  return globalForDenials.chronicleDenialWindows;
}

/** The resource as stored: at most MAX_RESOURCE_LENGTH characters, marked when cut. */
export function boundedResource(resource: string | undefined): string | null {
  if (resource === undefined) return null;
  return resource.length <= MAX_RESOURCE_LENGTH
    ? resource
    : `${resource.slice(0, MAX_RESOURCE_LENGTH - 1)}…`;
}

interface DenialRow {
  actor: string;
  role: string | null;
  action: string;
  resource: string | null;
  channel: Denial['channel'];
}

/** Logs a refused attempt, unless its actor is over the rate: then it is counted instead. */
export async function recordDenial(denial: Denial, nowMs = Date.now()): Promise<void> {
  const tracked = windows();
  const rows: DenialRow[] = [];
  let window = tracked.get(denial.actor);
  if (!window || nowMs - window.startedAtMs >= DENIAL_WINDOW_MS) {
    if (window) rows.push(...endWindow(denial.actor, window));
    window = {
      startedAtMs: nowMs,
      recorded: 0,
      suppressed: 0,
      role: denial.role,
      channel: denial.channel,
    };
    tracked.set(denial.actor, window);
    if (tracked.size > MAX_TRACKED_ACTORS) {
      // Forgetting the oldest window must not forget what it counted.
      const [oldestActor, oldest] = tracked.entries().next().value ?? [];
      if (oldestActor !== undefined && oldest) rows.push(...endWindow(oldestActor, oldest));
    }
  }
  if (window.recorded < MAX_DENIALS_PER_WINDOW) {
    window.recorded += 1;
    rows.push({ ...denial, resource: boundedResource(denial.resource) });
  } else {
    window.suppressed += 1;
    if (!window.flushTimer) scheduleFlush(window, nowMs);
  }
  await writeDenials(rows, nowMs);
}

/**
 * Records the counts of every window that is over, and forgets those windows. Runs by itself once
 * a window that held refusals back ends, so that an actor who stops does not take the count of
 * their last burst with them.
 */
export async function flushEndedDenialWindows(nowMs = Date.now()): Promise<void> {
  const rows: DenialRow[] = [];
  for (const [actor, window] of windows()) {
    if (nowMs - window.startedAtMs >= DENIAL_WINDOW_MS) rows.push(...endWindow(actor, window));
  }
  await writeDenials(rows, nowMs);
}

function scheduleFlush(window: ActorWindow, nowMs: number): void {
  const endsInMs = Math.max(0, window.startedAtMs + DENIAL_WINDOW_MS - nowMs);
  window.flushTimer = setTimeout(() => {
    window.flushTimer = undefined;
    void flushEndedDenialWindows();
  }, endsInMs + 1);
  // A pending count must not keep a process alive that is otherwise done.
  window.flushTimer.unref();
}

/** Forgets an actor's window; the summary row of what it held back, if anything. */
function endWindow(actor: string, window: ActorWindow): DenialRow[] {
  if (windows().get(actor) === window) windows().delete(actor);
  if (window.flushTimer) clearTimeout(window.flushTimer);
  window.flushTimer = undefined;
  if (window.suppressed === 0) return [];
  const count = window.suppressed;
  window.suppressed = 0;
  return [
    {
      actor,
      role: window.role,
      channel: window.channel,
      action: 'denials_rate_limited',
      resource: `${count} more refused attempt${count === 1 ? ' was' : 's were'} counted but not recorded one by one`,
    },
  ];
}

async function writeDenials(rows: readonly DenialRow[], nowMs: number): Promise<void> {
  for (const row of rows) {
    logLine('warn', 'access denied', { ...row, at: new Date(nowMs).toISOString() });
    try {
      await getPool().query(
        'INSERT INTO access_denials (actor, role, action, resource, channel) VALUES ($1, $2, $3, $4, $5)',
        [row.actor, row.role, row.action, row.resource, row.channel],
      );
    } catch (error) {
      logLine('error', 'could not record access denial', { error: errorMessage(error) });
    }
  }
}
