// Test fixtures that talk to the e2e database directly: users for each role, and accounts with
// known histories. Everything is created fresh with unique names, so tests never depend on each
// other or on the demo data.

import { randomBytes, randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import type { Role } from '../../lib/auth/permissions';
import { hashPassword } from '../../lib/server/auth/passwords';
import { getPool } from '../../lib/server/db/pool';
import { importHistory, type HistoricalCommand } from '../../lib/server/import/import-history';
import { openAccount } from '../../lib/server/commands/open-account';
import { placeHold } from '../../lib/server/commands/place-hold';
import { withdrawFunds } from '../../lib/server/commands/withdraw-funds';

// The fixtures write to the same database the app servers under test use.
process.env.DATABASE_URL = process.env.E2E_DATABASE_URL;

export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export function unique(label: string): string {
  return `${label}_${randomBytes(4).toString('hex')}`;
}

export async function createTestUser(role: Role): Promise<TestUser> {
  const name = `${role[0]?.toUpperCase()}${role.slice(1)} ${randomBytes(2).toString('hex')}`;
  const email = `${unique(role)}@e2e.test`;
  const result = await getPool().query<{ id: string }>(
    'INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id::text AS id',
    [email, name, role, await hashPassword(PASSWORD)],
  );
  return { id: result.rows[0]?.id as string, email, name, role };
}

export async function signIn(
  page: Page,
  user: { email: string },
  password = PASSWORD,
  baseUrl = '',
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

const system = () => ({ actor: 'system:e2e', idempotencyKey: randomUUID() });

export async function createAccount(
  options: { balance?: string; currency?: string } = {},
): Promise<string> {
  const id = unique('acc_e2e');
  await openAccount({
    input: {
      id,
      ownerId: unique('cust'),
      currency: options.currency ?? 'USD',
      initialBalance: options.balance,
    },
    context: system(),
  });
  return id;
}

export async function chargeAccount(
  accountId: string,
  amount: string,
  reference: string,
): Promise<string> {
  const result = await withdrawFunds({
    accountId,
    input: { amount, destination: 'Card — E2E Shop', reference },
    context: system(),
  });
  return result.events[0]?.eventId as string;
}

/** Places a hold on the account; returns the hold's id. */
export async function placeTestHold(
  accountId: string,
  amount: string,
  options: { expiresAt?: Date } = {},
): Promise<string> {
  const result = await placeHold({
    accountId,
    input: { amount, reason: 'E2E authorisation', reference: 'auth-e2e', ...options },
    context: system(),
  });
  return result.holds[0]?.id as string;
}

/** An account with a history at exact past instants, for time-travel tests. */
export async function createAccountWithHistory(
  entries: Array<{
    at: string;
    command: 'open' | { deposit: string } | { withdraw: string } | 'freeze';
  }>,
): Promise<string> {
  const id = unique('acc_hist');
  const commands: HistoricalCommand[] = entries.map(({ at, command }) => {
    const occurredAt = new Date(at);
    if (command === 'open')
      return {
        occurredAt,
        command: { type: 'open_account', accountId: id, ownerId: 'cust_history', currency: 'USD' },
      };
    if (command === 'freeze')
      return {
        occurredAt,
        command: { type: 'freeze_account', accountId: id, reason: 'e2e freeze' },
      };
    if ('deposit' in command)
      return {
        occurredAt,
        command: {
          type: 'deposit',
          accountId: id,
          amount: command.deposit,
          source: 'e2e',
          reference: '',
        },
      };
    return {
      occurredAt,
      command: {
        type: 'withdraw',
        accountId: id,
        amount: command.withdraw,
        destination: 'e2e',
        reference: '',
      },
    };
  });
  await importHistory({ commands, actor: 'system:e2e' });
  return id;
}

export async function eventCount(accountId: string): Promise<number> {
  const result = await getPool().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
    [`account-${accountId}`],
  );
  return result.rows[0]?.n ?? 0;
}

/** Events on a hold's own stream: hold_placed, then each capture, the release or the expiry. */
export async function holdEventCount(holdId: string): Promise<number> {
  const result = await getPool().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE stream_id = $1',
    [`hold-${holdId}`],
  );
  return result.rows[0]?.n ?? 0;
}

export async function balanceOf(accountId: string): Promise<bigint> {
  const result = await getPool().query<{ balance: string }>(
    'SELECT balance_minor::text AS balance FROM accounts WHERE id = $1',
    [accountId],
  );
  return BigInt(result.rows[0]?.balance ?? '-1');
}

export async function setUserDisabled(userId: string, disabled: boolean): Promise<void> {
  await getPool().query(
    'UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END WHERE id = $1::uuid',
    [userId, disabled],
  );
}

/** Waits until the e2e servers have sealed checkpoint `number` (they seal within a second). */
export async function waitForCheckpoint(number: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const found = await getPool().query('SELECT 1 FROM checkpoints WHERE number >= $1', [number]);
    if (found.rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`checkpoint ${number} was not sealed`);
}

/** Waits until every event committed so far is sealed in a checkpoint. */
export async function waitUntilSealed(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const last = await getPool().query<{ tx: string; position: string }>(
      `SELECT through_transaction::text AS tx, through_position::text AS position
         FROM checkpoints ORDER BY checkpoints.number DESC LIMIT 1`,
    );
    const waiting = await getPool().query(
      `SELECT 1 FROM events
        WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) LIMIT 1`,
      [last.rows[0]?.tx ?? '0', last.rows[0]?.position ?? '0'],
    );
    if (!waiting.rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('events were not sealed');
}
