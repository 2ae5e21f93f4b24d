// Helpers for the integrity tests: tampering as an insider would, and a verifier that starts over.

import type pg from 'pg';
import { context, openTestAccount, superuserClient } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { getPool } from '../db/pool';
import { getVerificationRun } from './get-verification-run';

/** Runs `sql` as the database owner with the immutability trigger switched off. */
export async function tamper(sql: string, values: unknown[]): Promise<void> {
  const client: pg.Client = await superuserClient();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE events DISABLE TRIGGER events_reject_update_delete');
    await client.query(sql, values);
    await client.query('ALTER TABLE events ENABLE TRIGGER events_reject_update_delete');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

export async function resetVerifier(): Promise<void> {
  const client = await superuserClient();
  try {
    await client.query('DELETE FROM integrity_marks');
    await client.query('DELETE FROM integrity_runs');
    await client.query(
      `UPDATE integrity_state SET verified_through_transaction = '0', verified_through_position = 0,
              verified_events = 0, problems = '[]', checked_at = NULL`,
    );
  } finally {
    await client.end();
  }
}

export async function accountWithDeposits(count: number): Promise<string> {
  const accountId = await openTestAccount({ balance: '1.00' });
  for (let index = 0; index < count; index += 1)
    await depositFunds({ accountId, input: { amount: '1.00' }, context: context() });
  return accountId;
}

/** A full re-verification once it has finished (succeeded or failed). */
export async function waitForRun(id: string) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const run = await getVerificationRun({ id, db: getPool() });
    if (run?.status === 'succeeded' || run?.status === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`verification run ${id} did not finish`);
}
