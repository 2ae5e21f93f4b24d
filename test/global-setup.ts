// Prepares PostgreSQL for the integration tests: the server named by DATABASE_URL when it is set
// (CI uses the system PostgreSQL), otherwise a throw-away embedded server. A template database
// is migrated once; every test file then gets its own copy (see integration-setup.ts), so files
// can run in parallel without seeing each other's rows.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres, type EmbeddedDatabase } from '../lib/server/db/embedded-postgres';
import { EmbeddedPostgresError } from '../lib/server/db/embedded-postgres-error';
import { migrate } from '../lib/server/db/apply-migrations';
import { databaseUrlFor } from './database-url';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startThrowawayPostgres({
      parentDir: process.env.CHRONICLE_TEST_TMP,
      log: (message) => console.log(`[test db] ${message}`),
    }).catch((error: unknown) => {
      // Its message is the one line that says what to do; vitest would bury it under stacks.
      if (!(error instanceof EmbeddedPostgresError)) throw error;
      console.error(`[test db] error: ${error.message}`);
      process.exit(1);
    });
    serverUrl = embedded.adminUrl;
  }
  const templateDatabase = `chronicle_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${templateDatabase}`);
  } finally {
    await admin.end();
  }
  await migrate({ connectionString: databaseUrlFor(serverUrl, templateDatabase) });
  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup
      .query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`)
      .catch(() => undefined);
    await cleanup.end();
    if (embedded) await embedded.stop();
  };
}
