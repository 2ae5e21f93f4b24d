// Bringing the schema up to date before the app starts, also under the least-privilege role
// (README "Security"). Migrations run as the schema owner: DATABASE_MIGRATION_URL when it is set,
// else DATABASE_URL. A role that may not migrate still starts when nothing is pending, and is told
// in one line what to do when something is.

import { sqlState } from './pool';
import { MigrationError, migrate, pendingMigrations } from './apply-migrations';

export async function prepareSchema(options: {
  /** The app's connection (DATABASE_URL). */
  appUrl: string;
  /** The schema owner's connection (DATABASE_MIGRATION_URL), when given. */
  migrationUrl: string | undefined;
  log: (message: string) => void;
  migrationsDir?: string;
}): Promise<void> {
  const { appUrl, migrationUrl, log } = options;
  const dir = options.migrationsDir === undefined ? {} : { migrationsDir: options.migrationsDir };
  if (migrationUrl) {
    const result = await migrate({ connectionString: migrationUrl, log, ...dir });
    log(
      result.applied.length
        ? `applied ${result.applied.length} migration(s) as the schema owner (DATABASE_MIGRATION_URL)`
        : `the schema is up to date (${result.alreadyApplied} migrations)`,
    );
    return;
  }
  const pending = await pendingMigrations({ connectionString: appUrl, ...dir });
  if (pending.length === 0) {
    log('the schema is up to date; nothing to migrate');
    return;
  }
  try {
    const result = await migrate({ connectionString: appUrl, log, ...dir });
    log(`applied ${result.applied.length} migration(s)`);
  } catch (error) {
    // insufficient_privilege, raised directly or inside a migration's failure message.
    if (sqlState(error) === '42501' || isPermissionDenied(error))
      throw new MigrationError(
        `${pending.length} migration(s) are pending (${pending.join(', ')}) and the role in DATABASE_URL may not apply them. Set DATABASE_MIGRATION_URL to the schema owner's connection string, or run \`DATABASE_URL=<owner URL> npm run db:migrate\` first.`,
      );
    throw error;
  }
}

function isPermissionDenied(error: unknown): boolean {
  return error instanceof Error && /permission denied|must be owner/i.test(error.message);
}
