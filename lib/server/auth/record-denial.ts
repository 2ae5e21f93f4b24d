// The log of refused attempts (who, what, when), as JSON lines and in access_denials. It must not
// become a way to fill the disk: what a caller controls (the resource it aimed at) is cut to a
// bounded length, and each actor's refusals are recorded one by one only up to a rate; beyond it
// they are counted, and the count is recorded once the actor's window is over.

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

/** Logs a refused attempt, unless its actor is over the rate: then it is counted instead. */
export async function recordDenial(denial: Denial, nowMs = Date.now()): Promise<void> {
  const resource = boundedResource(denial.resource);
  const tracked = windows();
  let window = tracked.get(denial.actor);
  const rows: Array<{ action: string; resource: string | null }> = [];
  if (!window || nowMs - window.startedAtMs >= DENIAL_WINDOW_MS) {
    if (window && window.suppressed > 0) rows.push(suppressedSummary(window.suppressed));
    window = { startedAtMs: nowMs, recorded: 0, suppressed: 0 };
    tracked.delete(denial.actor);
    tracked.set(denial.actor, window);
    if (tracked.size > MAX_TRACKED_ACTORS) {
      const oldest = tracked.keys().next().value;
      if (oldest !== undefined) tracked.delete(oldest);
    }
  }
  if (window.recorded < MAX_DENIALS_PER_WINDOW) {
    window.recorded += 1;
    rows.push({ action: denial.action, resource });
  } else {
    window.suppressed += 1;
  }
  for (const row of rows) {
    logLine('warn', 'access denied', {
      actor: denial.actor,
      role: denial.role,
      action: row.action,
      resource: row.resource,
      channel: denial.channel,
      at: new Date(nowMs).toISOString(),
    });
    try {
      await getPool().query(
        'INSERT INTO access_denials (actor, role, action, resource, channel) VALUES ($1, $2, $3, $4, $5)',
        [denial.actor, denial.role, row.action, row.resource, denial.channel],
      );
    } catch (error) {
      logLine('error', 'could not record access denial', { error: errorMessage(error) });
    }
  }
}

function suppressedSummary(count: number): { action: string; resource: string } {
  return {
    action: 'denials_rate_limited',
    resource: `${count} more refused attempt${count === 1 ? ' was' : 's were'} counted but not recorded one by one`,
  };
}
