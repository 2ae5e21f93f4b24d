// A database of a test's own on the e2e server, migrated, for tests that tamper with the ledger
// or need a server of their own that sees no other test's data.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../lib/server/db/apply-migrations';
import { databaseUrlFor } from '../../test/database-url';

export interface ScratchDatabase {
  readonly url: string;
  /** Runs one statement on it as the server's superuser. */
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

export async function createScratchDatabase(
  options: { migrated?: boolean } = {},
): Promise<ScratchDatabase> {
  const serverUrl = databaseUrlFor(process.env.E2E_DATABASE_URL as string, 'postgres');
  const name = `chronicle_scratch_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = databaseUrlFor(serverUrl, name);
  if (options.migrated !== false) await migrate({ connectionString: url });
  return {
    url,
    query: async (sql, values = []) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(sql, values);
      } finally {
        await client.end();
      }
    },
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
