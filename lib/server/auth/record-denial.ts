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

/** Logs a refused attempt (who, what, when) as a JSON line and in access_denials. */
export async function recordDenial(denial: Denial): Promise<void> {
  logLine('warn', 'access denied', { ...denial, at: new Date().toISOString() });
  try {
    await getPool().query(
      'INSERT INTO access_denials (actor, role, action, resource, channel) VALUES ($1, $2, $3, $4, $5)',
      [denial.actor, denial.role, denial.action, denial.resource ?? null, denial.channel],
    );
  } catch (error) {
    logLine('error', 'could not record access denial', { error: errorMessage(error) });
  }
}
