// npm run db:seed — loads the demo accounts and their six months of history (once).
import { createPool } from '../lib/server/db/pool';
import { migrate } from '../lib/server/db/migrate';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { seedDemoData } from '../lib/server/seed/seed-demo-data';
import { log, reportFailure } from './lib/log';

const database = await resolveDatabase(log);
const pool = createPool(database.url, { max: 2 });
try {
  await migrate({ connectionString: database.url, log });
  const summary = await seedDemoData({ now: new Date(), db: pool });
  log(summary ? `seeded ${summary.eventsWritten} events from ${summary.commandsApplied} demo commands` : 'demo data is already present');
} catch (error) {
  reportFailure(error);
} finally {
  await pool.end();
  await database.release();
}
