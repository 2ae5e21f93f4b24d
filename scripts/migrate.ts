// npm run db:migrate — applies prisma/migrations as the schema owner: DATABASE_MIGRATION_URL when
// set, else DATABASE_URL (or the embedded database).
import { migrate } from '../lib/server/db/apply-migrations';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { log, reportFailure } from './lib/cli-log';

// Nothing to clean up yet if this fails: report its one line and stop.
const database = await resolveDatabase(log).catch((error: unknown) => {
  reportFailure(error);
  process.exit(1);
});
try {
  const result = await migrate({
    connectionString: process.env.DATABASE_MIGRATION_URL ?? database.url,
    log,
  });
  log(
    result.applied.length
      ? `applied ${result.applied.length} migration(s)`
      : `database is up to date (${result.alreadyApplied} migrations)`,
  );
} catch (error) {
  reportFailure(error);
} finally {
  await database.release();
}
