import { getPool, type Pool } from '../db/pool';
import { importHistory, type ImportSummary } from '../import/import-history';
import { DEMO_ACCOUNTS, demoHistory } from './demo-history';

/**
 * Loads the demo history unless it is already there. `now` anchors the history (it ends two
 * hours before it); pass the clock from a script, never from domain code.
 */
export async function seedDemoData(options: {
  now: Date;
  db?: Pool;
  busyEvents?: number;
  onProgress?: (commandsApplied: number) => void;
}): Promise<ImportSummary | null> {
  const db = options.db ?? getPool();
  const existing = await db.query('SELECT 1 FROM accounts WHERE id = $1', [DEMO_ACCOUNTS.merchant]);
  if (existing.rowCount) return null;
  return importHistory({
    db,
    actor: 'system:seed',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    commands: demoHistory({
      now: options.now,
      ...(options.busyEvents ? { busyEvents: options.busyEvents } : {}),
    }),
  });
}
