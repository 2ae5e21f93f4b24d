// The documented production role (docs/sql/least-privilege-role.sql): it runs everything the app
// does — commands, the integrity verifier, pruning — but can never rewrite an event, even with the
// immutability trigger switched off; every table has its privileges listed; and `npm start` under
// it starts when the schema is current and says what to do when it is not.

import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { superuserClient } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { openAccount } from '../commands/open-account';
import { reverseCharge } from '../commands/reverse-charge';
import { transferFunds } from '../commands/transfer-funds';
import { withdrawFunds } from '../commands/withdraw-funds';
import { requestFullVerification } from '../integrity/request-full-verification';
import { runQueuedFullVerification } from '../integrity/run-full-verification';
import { verifyNewEvents } from '../integrity/verify-new-events';
import { pruneExpiredRows } from '../maintenance/prune-expired-rows';
import { addDisputeEvidence } from '../disputes/add-dispute-evidence';
import { addDisputeNote } from '../disputes/add-dispute-note';
import { giveProvisionalCredit } from '../disputes/give-provisional-credit';
import { openDispute } from '../disputes/open-dispute';
import { resolveDispute } from '../disputes/resolve-dispute';
import { DEFAULT_MIGRATIONS_DIR } from './apply-migrations';
import { createPool, type Pool } from './pool';
import { prepareSchema } from './prepare-schema';

const loginRole = `chronicle_app_test_${randomUUID().slice(0, 8)}`;
let owner: pg.Client;
let rolePool: Pool;

/** The test database's URL, connecting as the least-privilege role. */
function roleUrl(): string {
  const url = new URL(process.env.DATABASE_URL as string);
  url.searchParams.set('options', `-c role=${loginRole}`);
  return url.toString();
}

beforeAll(async () => {
  owner = await superuserClient();
  // The documented script, run as documented: the password as a setting of the session.
  const script = await readFile('docs/sql/least-privilege-role.sql', 'utf8');
  await owner.query(`SET chronicle.app_password = 'a password nobody types'`);
  await owner.query(script);
  const password = await owner.query<{ has_password: boolean }>(
    `SELECT rolpassword IS NOT NULL AS has_password FROM pg_authid WHERE rolname = 'chronicle_app'`,
  );
  expect(password.rows[0]?.has_password).toBe(true);
  // chronicle_app is shared by every database of the server; this test's login role is its own.
  await owner.query(`CREATE ROLE ${loginRole} LOGIN IN ROLE chronicle_app`);
  rolePool = createPool(roleUrl(), { max: 4, applicationName: 'chronicle-least-privilege' });
});

afterAll(async () => {
  await rolePool.end();
  await owner.query(`DROP OWNED BY ${loginRole}`);
  await owner.query(`DROP ROLE ${loginRole}`);
  await owner.end();
});

const context = () => ({ actor: 'api_key:least-privilege', idempotencyKey: randomUUID() });

describe('the least-privilege application role', () => {
  it('lists a privilege for every table of the schema', async () => {
    const tables = await owner.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const listed = await owner.query<{ table_name: string }>(
      'SELECT table_name FROM chronicle_app_privileges() ORDER BY table_name',
    );
    const listedNames = new Set(listed.rows.map((row) => row.table_name));
    expect(
      tables.rows.map((row) => row.table_name).filter((name) => !listedNames.has(name)),
    ).toEqual([]);
  });

  it('runs commands, the integrity verifier and pruning', async () => {
    for (const batching of [true, false]) {
      const id = `acc_role_${randomUUID().slice(0, 8)}`;
      const other = `acc_role_${randomUUID().slice(0, 8)}`;
      const ctx = () => ({ ...context(), db: rolePool, batching });
      await openAccount({
        input: { id, ownerId: 'o', currency: 'USD', initialBalance: '50.00' },
        context: ctx(),
      });
      await openAccount({ input: { id: other, ownerId: 'o', currency: 'USD' }, context: ctx() });
      await depositFunds({ accountId: id, input: { amount: '5.00' }, context: ctx() });
      const charge = await withdrawFunds({
        accountId: id,
        input: { amount: '10.00' },
        context: ctx(),
      });
      await reverseCharge({
        input: { originalEventId: charge.events[0]?.eventId as string, reason: 'dispute' },
        context: ctx(),
      });
      await transferFunds({
        input: { fromAccountId: id, toAccountId: other, amount: '1.00' },
        context: ctx(),
      });
    }
    expect((await verifyNewEvents(rolePool)).ran).toBe(true);
    await requestFullVerification({ requestedBy: 'user:least-privilege', db: rolePool });
    expect(await runQueuedFullVerification(rolePool)).not.toBeNull();
    const pruned = await pruneExpiredRows(rolePool, {
      idempotencyRetentionHours: 1,
      signInAttemptRetentionDays: 1,
      intervalMs: 1,
    });
    expect(pruned.ran).toBe(true);
  });

  it('works dispute cases, yet may not change what a case is about or any stored file', async () => {
    const id = `acc_role_${randomUUID().slice(0, 8)}`;
    const ctx = () => ({ ...context(), db: rolePool });
    await openAccount({
      input: { id, ownerId: 'o', currency: 'USD', initialBalance: '50.00' },
      context: ctx(),
    });
    const charge = await withdrawFunds({
      accountId: id,
      input: { amount: '30.00' },
      context: ctx(),
    });
    const opened = await openDispute({
      input: {
        chargeEventId: charge.events[0]?.eventId as string,
        reasonCode: 'fraudulent',
        description: 'not me',
      },
      context: ctx(),
    });
    const disputeId = opened.disputes[0]?.id as string;
    await addDisputeNote({ disputeId, input: { text: 'called' }, context: ctx() });
    await addDisputeEvidence({
      disputeId,
      upload: { fileName: 'a.pdf', declaredType: '', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
      context: ctx(),
    });
    await giveProvisionalCredit({ disputeId, input: {}, context: ctx() });
    await resolveDispute({ disputeId, outcome: 'lost', note: 'no', context: ctx() });
    const client = await rolePool.connect();
    try {
      await expect(
        client.query('UPDATE disputes SET amount_minor = 1 WHERE dispute_id = $1', [disputeId]),
      ).rejects.toThrow(/permission denied/);
      await expect(
        client.query('UPDATE disputes SET account_id = $2 WHERE dispute_id = $1', [disputeId, 'x']),
      ).rejects.toThrow(/permission denied/);
      await expect(client.query("UPDATE dispute_files SET content_type = 'x'")).rejects.toThrow(
        /permission denied/,
      );
      await expect(client.query('DELETE FROM dispute_files')).rejects.toThrow(/permission denied/);
    } finally {
      client.release();
    }
  });

  it('may not update, delete or truncate events even with the trigger disabled', async () => {
    await owner.query('ALTER TABLE events DISABLE TRIGGER events_reject_update_delete');
    const client = await rolePool.connect();
    try {
      await expect(client.query("UPDATE events SET type = 'x'")).rejects.toThrow(
        /permission denied/,
      );
      await expect(client.query('DELETE FROM events')).rejects.toThrow(/permission denied/);
      await expect(client.query('TRUNCATE events')).rejects.toThrow(/permission denied/);
      await expect(client.query('ALTER TABLE events DISABLE TRIGGER ALL')).rejects.toThrow(
        /must be owner/,
      );
    } finally {
      client.release();
      await owner.query('ALTER TABLE events ENABLE TRIGGER events_reject_update_delete');
    }
  });

  it('starts when the schema is current, and says what to do when a migration is pending', async () => {
    const messages: string[] = [];
    await prepareSchema({
      appUrl: roleUrl(),
      migrationUrl: undefined,
      log: (m) => messages.push(m),
    });
    expect(messages).toEqual(['the schema is up to date; nothing to migrate']);

    const dir = await mkdtemp(path.join(tmpdir(), 'chronicle-migrations-'));
    try {
      await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(path.join(dir, '29990101000000_future'));
      await writeFile(
        path.join(dir, '29990101000000_future', 'migration.sql'),
        'CREATE TABLE "future" ("id" INTEGER);',
      );
      await expect(
        prepareSchema({
          appUrl: roleUrl(),
          migrationUrl: undefined,
          log: () => undefined,
          migrationsDir: dir,
        }),
      ).rejects.toThrow(
        /^1 migration\(s\) are pending \(29990101000000_future\) and the role in DATABASE_URL may not apply them\. Set DATABASE_MIGRATION_URL/,
      );
      // With the owner's URL, the same start applies it.
      await prepareSchema({
        appUrl: roleUrl(),
        migrationUrl: process.env.DATABASE_URL,
        log: () => undefined,
        migrationsDir: dir,
      });
      const applied = await owner.query(`SELECT to_regclass('future')::text AS t`);
      expect(applied.rows[0].t).toBe('future');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('functions the schema owner runs', () => {
  it('pin their search_path, so a function planted in public cannot take their place', async () => {
    const functions = await owner.query<{ name: string; config: string[] | null }>(
      `SELECT p.proname AS name, p.proconfig AS config FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
    );
    expect(functions.rows.length).toBeGreaterThan(0);
    for (const { name, config } of functions.rows)
      expect(config ?? [], name).toContain('search_path=pg_catalog');
  });

  it('leave the app role unable to create anything in the schema, even where PUBLIC once could', async () => {
    // PostgreSQL 13 and 14 grant this by default; the documented script takes it back.
    await owner.query('GRANT CREATE ON SCHEMA public TO PUBLIC');
    await owner.query(`SET chronicle.app_password = 'a password nobody types'`);
    await owner.query(await readFile('docs/sql/least-privilege-role.sql', 'utf8'));
    const client = await rolePool.connect();
    try {
      await expect(
        client.query(
          `CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql AS 'SELECT $1'`,
        ),
      ).rejects.toThrow(/permission denied/);
    } finally {
      client.release();
    }
  });
});
