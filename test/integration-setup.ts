// Runs before every integration test file: gives the file a fresh, migrated database of its own
// and points DATABASE_URL (and so the application's pool) at it.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { closeGlobalDatabase } from '../lib/server/db/pool';
import { databaseUrlFor } from './database-url';
import { closeSeparatePools } from './support';

const database = `chronicle_test_${randomBytes(5).toString('hex')}`;
const serverUrl = inject('serverUrl');

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin((client) =>
    client.query(`CREATE DATABASE ${database} TEMPLATE ${inject('templateDatabase')}`),
  );
  process.env.DATABASE_URL = databaseUrlFor(serverUrl, database);
  process.env.DATABASE_POOL_SIZE ??= '24';
  // Suites that exercise other behaviour with large amounts and freezes run without four eyes;
  // the approval suites choose their policy themselves.
  process.env.CHRONICLE_APPROVAL_POLICY ??= 'off';
});

// Pools a test opened for itself are closed when it ends, so a file's tests cannot pile up
// connections past the server's limit.
afterEach(async () => {
  await closeSeparatePools();
});

afterAll(async () => {
  const globals = globalThis as unknown as { chronicleNotifier?: { close(): Promise<void> } };
  await closeSeparatePools();
  await closeGlobalDatabase();
  await globals.chronicleNotifier?.close();
  delete globals.chronicleNotifier;
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
});
