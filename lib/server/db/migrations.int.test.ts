import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { databaseUrlFor } from '../../../test/database-url';
import { getPool } from './pool';
import {
  migrate,
  migrationChecksum,
  readLocalMigrations,
  MigrationError,
} from './apply-migrations';
import { findSchemaDrift } from './schema-drift';

const serverUrl = inject('serverUrl');
const created: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `chronicle_migrate_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  return databaseUrlFor(serverUrl, name);
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe('npm run db:migrate', () => {
  it('applies every migration once and records it exactly as Prisma does', async () => {
    const url = await freshDatabase();
    const local = await readLocalMigrations();
    expect(local.length).toBeGreaterThan(0);
    const first = await migrate({ connectionString: url });
    expect(first.applied).toEqual(local.map((migration) => migration.name));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      logs: string | null;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows).toEqual(
      await Promise.all(
        local.map(async (migration) => ({
          migration_name: migration.name,
          checksum: migrationChecksum(
            await readFile(path.join('prisma/migrations', migration.name, 'migration.sql'), 'utf8'),
          ),
          finished_at: expect.any(Date),
          applied_steps_count: 1,
          logs: null,
        })),
      ),
    );
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    );
    expect(columns.map((column) => `${column.column_name}:${column.data_type}`)).toEqual([
      'id:character varying',
      'checksum:character varying',
      'finished_at:timestamp with time zone',
      'migration_name:character varying',
      'logs:text',
      'rolled_back_at:timestamp with time zone',
      'started_at:timestamp with time zone',
      'applied_steps_count:integer',
    ]);

    const second = await migrate({ connectionString: url });
    expect(second).toEqual({ applied: [], alreadyApplied: local.length });
  });

  it('refuses to continue when an applied migration was edited', async () => {
    const url = await freshDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'chronicle-migrations-'));
    await cp('prisma/migrations', dir, { recursive: true });
    await migrate({ connectionString: url, migrationsDir: dir });
    const [firstName] = (await readLocalMigrations(dir)).map((migration) => migration.name);
    const file = path.join(dir, firstName as string, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited\n`);
    await expect(migrate({ connectionString: url, migrationsDir: dir })).rejects.toThrow(
      /was changed after it was applied/,
    );
  });

  it('rolls back a failing migration completely and lets a fixed one apply later', async () => {
    const url = await freshDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'chronicle-migrations-'));
    await mkdir(path.join(dir, '20990101000000_broken'));
    await writeFile(
      path.join(dir, '20990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n',
    );
    await expect(migrate({ connectionString: url, migrationsDir: dir })).rejects.toBeInstanceOf(
      MigrationError,
    );
    expect(await query(url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([]);
    const recorded = await query<{ rolled_back_at: Date | null; logs: string }>(
      url,
      'SELECT rolled_back_at, logs FROM _prisma_migrations',
    );
    expect(recorded[0]?.rolled_back_at).toBeInstanceOf(Date);
    expect(recorded[0]?.logs).toMatch(/no_such_function/);
    await writeFile(
      path.join(dir, '20990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\n',
    );
    expect((await migrate({ connectionString: url, migrationsDir: dir })).applied).toEqual([
      '20990101000000_broken',
    ]);
  });
});

describe('schema drift', () => {
  it('finds none between schema.prisma and the migrated database', async () => {
    const schema = await readFile('prisma/schema.prisma', 'utf8');
    expect(await findSchemaDrift(getPool(), schema)).toEqual([]);
  });

  it('reports a column, an index and a type that differ', async () => {
    const url = await freshDatabase();
    await migrate({ connectionString: url });
    await query(url, 'ALTER TABLE accounts ADD COLUMN nickname text');
    await query(url, 'CREATE INDEX accounts_currency_idx ON accounts (currency)');
    await query(url, 'ALTER TABLE charges ALTER COLUMN amount_minor TYPE integer');
    const schema = await readFile('prisma/schema.prisma', 'utf8');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(await findSchemaDrift(pool, schema)).toEqual([
        'column accounts.nickname is in the database but not in schema.prisma',
        'column charges.amount_minor is integer in the database but bigint in schema.prisma',
        'index accounts(currency) is in the database but not in schema.prisma',
      ]);
      const renamed = schema.replace('model Charge {', 'model Charge {\n  note String?');
      expect(await findSchemaDrift(pool, renamed)).toContain(
        'column charges.note is in schema.prisma but not in the database',
      );
    } finally {
      await pool.end();
    }
  });
});
