// A retried request must get the first request's answer, also when the first one committed while
// the retry was waiting for the account lock — in another process (another pool, another
// batcher), with group commit on or off. The race is staged, not hoped for: a blocker holds the
// account's row lock until both attempts are queued behind it.

import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import {
  context,
  openTestAccount,
  separatePool,
  superuserClient,
  waitUntilBlocked,
} from '../../../test/support';
import type { Pool } from '../db/pool';
import type { CommandResult } from '../pipeline/command-result';
import type { CommandContext } from '../pipeline/command-context';
import { depositFunds } from './deposit-funds';
import { freezeAccount } from './freeze-account';
import { openAccount } from './open-account';
import { withdrawFunds } from './withdraw-funds';

const blockers: pg.Client[] = [];
afterEach(async () => {
  for (const blocker of blockers.splice(0)) await blocker.end().catch(() => undefined);
});

/** Holds the row lock of `accountId` until the returned function commits. */
async function holdAccountLock(accountId: string): Promise<() => Promise<void>> {
  const client = await superuserClient();
  blockers.push(client);
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
  return async () => {
    await client.query('COMMIT');
  };
}

type Run = (context: CommandContext) => Promise<CommandResult>;

/**
 * Runs `run` as a first attempt in one process and as its retry (same key, same input) in a
 * second one, so that the retry reads the account only after the first attempt committed, and
 * returns both answers. With batching, the retry shares its transaction with another command.
 */
async function raceRetry(options: {
  accountId: string;
  run: Run;
  batching: boolean;
  expectedVersion?: number;
}): Promise<{ first: CommandResult; retry: CommandResult }> {
  const { accountId, run, batching } = options;
  const suffix = randomUUID().slice(0, 8);
  const firstPool = separatePool(2, `retry-first-${suffix}`);
  const secondPool = separatePool(2, `retry-second-${suffix}`);
  const idempotencyKey = randomUUID();
  const withKey = (db: Pool): CommandContext =>
    context({
      actor: 'api_key:retrying-client',
      idempotencyKey,
      batching,
      db,
      ...(options.expectedVersion === undefined
        ? {}
        : { expectedVersion: options.expectedVersion }),
    });

  const releaseAccount = await holdAccountLock(accountId);
  const first = run(withKey(firstPool));
  await waitUntilBlocked(`retry-first-${suffix}`);

  let retry: Promise<CommandResult>;
  if (batching) {
    // The second process's batcher is busy with a command stuck behind another lock; the retry
    // and an unrelated deposit queue up and then run as one batch.
    const plugAccount = await openTestAccount({ balance: '1.00' });
    const otherAccount = await openTestAccount({ balance: '1.00' });
    const releasePlug = await holdAccountLock(plugAccount);
    const plug = depositFunds({
      accountId: plugAccount,
      input: { amount: '1.00' },
      context: context({ db: secondPool }),
    });
    await waitUntilBlocked(`retry-second-${suffix}`);
    retry = run(withKey(secondPool));
    const other = depositFunds({
      accountId: otherAccount,
      input: { amount: '1.00' },
      context: context({ db: secondPool }),
    });
    await releasePlug();
    await plug;
    await waitUntilBlocked(`retry-second-${suffix}`);
    await releaseAccount();
    await other;
  } else {
    retry = run(withKey(secondPool));
    await waitUntilBlocked(`retry-second-${suffix}`);
    await releaseAccount();
  }
  return { first: await first, retry: await retry };
}

function expectSameAnswer(first: CommandResult, retry: CommandResult) {
  expect(first.replayed).toBe(false);
  expect(retry.replayed).toBe(true);
  expect(retry.events.map((event) => event.eventId)).toEqual(
    first.events.map((event) => event.eventId),
  );
  expect(retry.accounts).toEqual(first.accounts);
}

describe.each([
  ['batched', true],
  ['one transaction per command', false],
])('a retry that waited for the lock, %s', (_mode, batching) => {
  it('gets the first answer, not insufficient_funds, after a withdrawal of everything', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const { first, retry } = await raceRetry({
      accountId,
      batching,
      run: (ctx) => withdrawFunds({ accountId, input: { amount: '100.00' }, context: ctx }),
    });
    expectSameAnswer(first, retry);
  });

  it('gets the first answer, not already_frozen, after a freeze', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const { first, retry } = await raceRetry({
      accountId,
      batching,
      run: (ctx) => freezeAccount({ accountId, input: { reason: 'fraud review' }, context: ctx }),
    });
    expectSameAnswer(first, retry);
  });

  it('gets the first answer, not 412, when the request carried If-Match', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const { first, retry } = await raceRetry({
      accountId,
      batching,
      expectedVersion: 2,
      run: (ctx) => depositFunds({ accountId, input: { amount: '5.00' }, context: ctx }),
    });
    expectSameAnswer(first, retry);
  });

  it('gives every concurrent duplicate of an account opening the one answer', async () => {
    const pools = [separatePool(4), separatePool(4)];
    const idempotencyKey = randomUUID();
    const input = { ownerId: 'owner-retry', currency: 'USD', initialBalance: '10.00' };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        openAccount({
          input,
          context: context({
            actor: 'api_key:retrying-client',
            idempotencyKey,
            batching,
            db: pools[index % 2] as Pool,
          }),
        }),
      ),
    );
    const ids = new Set(results.map((result) => result.accounts[0]?.id));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
  });
});
