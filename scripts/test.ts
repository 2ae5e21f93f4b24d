// npm test — the whole suite, on a fresh machine or in CI:
//   lint, format check and type-check → unit and integration tests (vitest, real PostgreSQL and, when REDIS_URL
//   is set, real Redis) → production build → browser and HTTP contract tests (Playwright, real
//   Chromium, the production build served as `npm start` serves it: scripts/serve.ts).
// PostgreSQL is DATABASE_URL's server when set (tests create and drop their own databases there),
// otherwise a throw-away embedded server. `--only=unit|integration|e2e` runs one part;
// `npm run test:e2e -- e2e/api/cluster.spec.ts` runs the browser tests named.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { startThrowawayPostgres, type EmbeddedDatabase } from '../lib/server/db/embedded-postgres';
import { migrate } from '../lib/server/db/apply-migrations';
import { databaseUrlFor } from '../test/database-url';
import { ensureBuild } from './lib/build';
import { ensureChromium } from './lib/chromium';
import { log, reportFailure } from './lib/cli-log';
import { BIN, childEnv, run } from './lib/run';

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
/** With --only=e2e, anything else on the command line goes to Playwright (spec files, --grep). */
const playwrightArgs =
  only === 'e2e' ? process.argv.slice(2).filter((arg) => !arg.startsWith('--only=')) : [];
const wants = (part: string) => !only || only === part;
const started = Date.now();
let embedded: EmbeddedDatabase | undefined;
let e2eDatabase: string | undefined;
let serverUrl = process.env.DATABASE_URL;

async function step(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = childEnv(),
): Promise<void> {
  log(`▶ ${name}`);
  const stepStarted = Date.now();
  const code = await run(command, args, { env });
  if (code !== 0) throw new Error(`${name} failed (exit code ${code})`);
  log(`✔ ${name} (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)`);
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

try {
  const chromium = wants('e2e') ? await ensureChromium() : undefined;
  if (!only) {
    await step('lint', path.join(BIN, 'eslint'), ['.']);
    await step('format check', path.join(BIN, 'prettier'), ['--check', '--log-level', 'warn', '.']);
    await step('type-check', path.join(BIN, 'tsc'), ['--noEmit']);
  }
  if (!serverUrl && (wants('integration') || wants('e2e'))) {
    embedded = await startThrowawayPostgres({ log });
    serverUrl = embedded.adminUrl;
  }
  const testEnv = childEnv(serverUrl ? { DATABASE_URL: serverUrl } : {});
  if (!only) await step('unit and integration tests', path.join(BIN, 'vitest'), ['run'], testEnv);
  else if (only === 'unit' || only === 'integration')
    await step(`${only} tests`, path.join(BIN, 'vitest'), ['run', '--project', only], testEnv);

  if (wants('e2e')) {
    await ensureBuild();
    e2eDatabase = `chronicle_e2e_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE ${e2eDatabase}`);
    const e2eUrl = databaseUrlFor(serverUrl as string, e2eDatabase);
    await migrate({ connectionString: e2eUrl });
    await step(
      'browser and HTTP contract tests',
      path.join(BIN, 'playwright'),
      ['test', ...playwrightArgs],
      childEnv({ E2E_DATABASE_URL: e2eUrl, DATABASE_URL: e2eUrl, CHROMIUM_PATH: chromium }),
    );
  }
  log(`all tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (error) {
  reportFailure(error);
} finally {
  if (e2eDatabase)
    await admin(`DROP DATABASE IF EXISTS ${e2eDatabase} WITH (FORCE)`).catch(() => undefined);
  if (embedded) await embedded.stop().catch(() => undefined);
}
