// Applies prisma/migrations/*/migration.sql in order and records each in `_prisma_migrations`
// exactly as `prisma migrate deploy` does (same table, same SHA-256 checksums, same advisory
// lock), so either tool can take over from the other. We need our own runner because Prisma's
// CLI cannot download its schema engine on our machines (docs/decisions/001-...).

import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/** The advisory lock key Prisma's schema engine takes while migrating PostgreSQL. */
const PRISMA_MIGRATE_ADVISORY_LOCK = 72707369;

// The table as Prisma's schema engine creates it.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const DEFAULT_MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');

export interface LocalMigration {
  readonly name: string;
  readonly script: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** SHA-256 of the script, as lowercase hex: the checksum Prisma records. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

export async function readLocalMigrations(
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, script, checksum: migrationChecksum(script) };
    }),
  );
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: 'chronicle-migrate' });
  await client.connect();
  return client;
}

export async function migrate(options: {
  connectionString: string;
  migrationsDir?: string;
  log?: (message: string) => void;
}): Promise<{ applied: string[]; alreadyApplied: number }> {
  const log = options.log ?? (() => undefined);
  const migrations = await readLocalMigrations(options.migrationsDir);
  const client = await connect(options.connectionString);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const recorded = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const applied = new Map<string, { checksum: string }>();
    for (const row of recorded.rows) {
      if (row.rolled_back_at) continue;
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} failed earlier and was not rolled back. Fix the database, then mark it with \`prisma migrate resolve\` or delete its row in _prisma_migrations.`,
        );
      }
      applied.set(row.migration_name, { checksum: row.checksum });
    }
    const localNames = new Set(migrations.map((migration) => migration.name));
    for (const name of applied.keys()) {
      if (!localNames.has(name))
        log(
          `warning: migration ${name} is recorded in the database but missing from ${options.migrationsDir ?? 'prisma/migrations'}`,
        );
    }

    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const existing = applied.get(migration.name);
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied (checksum ${existing.checksum} in the database, ${migration.checksum} on disk). Never edit an applied migration; add a new one.`,
          );
        }
        continue;
      }
      const id = randomUUID();
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, migration.checksum, migration.name],
      );
      try {
        await client.query('BEGIN');
        await client.query(migration.script);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        // The script ran in a transaction that rolled back, so the database is as it was: record
        // the attempt as rolled back (Prisma's own marker) so a fixed script can be applied later.
        await client.query(
          'UPDATE "_prisma_migrations" SET logs = $2, rolled_back_at = now() WHERE id = $1',
          [id, message],
        );
        throw new MigrationError(`Migration ${migration.name} failed: ${message}`);
      }
      await client.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
      newlyApplied.push(migration.name);
      log(`applied migration ${migration.name}`);
    }
    return { applied: newlyApplied, alreadyApplied: applied.size };
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK])
      .catch(() => undefined);
    await client.end();
  }
}

/**
 * The local migrations the database has not applied yet, read without writing anything (so a
 * role that may not change the schema can ask). A database without the bookkeeping table has
 * applied none.
 */
export async function pendingMigrations(options: {
  connectionString: string;
  migrationsDir?: string;
}): Promise<string[]> {
  const migrations = await readLocalMigrations(options.migrationsDir);
  const client = await connect(options.connectionString);
  try {
    const exists = await client.query<{ table: string | null }>(
      `SELECT to_regclass('"_prisma_migrations"')::text AS table`,
    );
    if (!exists.rows[0]?.table) return migrations.map((migration) => migration.name);
    const applied = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const names = new Set(applied.rows.map((row) => row.migration_name));
    return migrations.map((migration) => migration.name).filter((name) => !names.has(name));
  } finally {
    await client.end();
  }
}
