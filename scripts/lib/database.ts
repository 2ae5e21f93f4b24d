import { prepareSchema } from '../../lib/server/db/prepare-schema';
import { closeGlobalDatabase } from '../../lib/server/db/pool';
import { resolveDatabase } from '../../lib/server/db/resolve-database';

/**
 * Runs a command-line script's work against DATABASE_URL (or the embedded database), migrated,
 * with the application's pool pointed at it; everything is closed afterwards. Progress goes to
 * standard error, so standard output stays the script's own (an API key, say).
 */
export async function withScriptDatabase<T>(
  work: () => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const database = await resolveDatabase((message) => console.error(`[chronicle] ${message}`));
  try {
    process.env.DATABASE_URL = database.url;
    if (options.migrate !== false)
      await prepareSchema({
        appUrl: database.url,
        migrationUrl: database.isEmbedded ? undefined : process.env.DATABASE_MIGRATION_URL,
        log: () => undefined,
      });
    return await work();
  } finally {
    await closeGlobalDatabase();
    await database.release();
  }
}
