// npm start — everything a fresh machine needs to serve Chronicle:
//   1. a database: DATABASE_URL, or the embedded PostgreSQL under .data/ (demo mode);
//   2. migrations (as the schema owner: DATABASE_MIGRATION_URL when set);
//   3. in demo mode, demo accounts with six months of history and three demo users;
//   4. a production build, made now if it is missing or stale;
//   5. Chronicle's HTTP server (scripts/serve.ts: Next.js in-process, client addresses from the
//      socket) on PORT (default 3000), stopped together with the database on Ctrl-C.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { startProgress } from '../lib/progress';
import { prepareSchema } from '../lib/server/db/prepare-schema';
import { closeGlobalDatabase, createPool } from '../lib/server/db/pool';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { seedDemoApprovalRequest } from '../lib/server/seed/seed-demo-approval';
import { seedDemoData } from '../lib/server/seed/seed-demo-data';
import { ensureBuild } from './lib/build';
import { log, reportFailure } from './lib/cli-log';
import { BIN, childEnv } from './lib/run';
import { prepareDemoMode } from './lib/demo-mode';

const port = process.env.PORT ?? '3000';
// Nothing to clean up yet if this fails: report its one line and stop.
const database = await resolveDatabase(log).catch((error: unknown) => {
  reportFailure(error);
  process.exit(1);
});
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await database.release().catch(() => undefined);
  process.exit(code);
}

try {
  await prepareSchema({
    appUrl: database.url,
    migrationUrl: database.isEmbedded ? undefined : process.env.DATABASE_MIGRATION_URL,
    log,
  });
  // The schema owner's credentials are for migrating only: the server never receives them.
  delete process.env.DATABASE_MIGRATION_URL;
  const extraEnv: Record<string, string> = {};
  if (database.isEmbedded) {
    process.env.DATABASE_URL = database.url;
    const pool = createPool(database.url, { max: 2 });
    try {
      const progress = startProgress('loading demo history (commands)', null);
      const seeded = await seedDemoData({
        now: new Date(),
        db: pool,
        onProgress: (done) => progress.update(done),
      });
      progress.finish();
      log(seeded ? `loaded demo data: ${seeded.eventsWritten} events` : 'demo data already loaded');
      Object.assign(extraEnv, await prepareDemoMode({ db: pool, port, log }));
      if (await seedDemoApprovalRequest({ db: pool, makerEmail: 'support@chronicle.demo' }))
        log('demo data: a payout of 25,000.00 waits in the Approvals inbox for a second person');
    } finally {
      await pool.end();
      await closeGlobalDatabase();
    }
  } else if (!process.env.NEXTAUTH_SECRET) {
    throw new Error(
      'NEXTAUTH_SECRET must be set when DATABASE_URL is (demo mode generates one; production must not).',
    );
  }
  await ensureBuild();

  log(`serving on http://localhost:${port}`);
  const server = spawn(path.join(BIN, 'tsx'), ['scripts/serve.ts'], {
    stdio: 'inherit',
    env: childEnv({
      PORT: port,
      DATABASE_URL: database.url,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
      ...extraEnv,
    }),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      server.kill(signal);
    });
  }
  server.on('exit', (code) => {
    void shutdown(code ?? 0);
  });
} catch (error) {
  reportFailure(error);
  await shutdown(1);
}
