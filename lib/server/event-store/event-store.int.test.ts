import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  context,
  openTestAccount,
  separatePool,
  superuserClient,
  tableCounts,
} from '../../../test/support';
import { GENESIS_HASH } from '../../ledger/hash-chain';
import { getPool, withTransaction } from '../db/pool';
import { uuidv7 } from '../ids';
import { depositFunds } from '../commands/deposit-funds';
import { transferFunds } from '../commands/transfer-funds';
import { getAccount } from '../queries/get-account';
import { appendToStreams } from './append-to-streams';
import { ConcurrencyError, EventStoreInvariantError } from './event-store-errors';
import {
  readGlobalLog,
  START_OF_LOG,
  checkpointAtPosition,
  checkpointOf,
  currentCheckpoint,
} from './read-global-log';
import { importHistory } from '../import/import-history';
import { listAuditEvents } from '../queries/list-audit-events';
import { readStream } from './read-stream';
import type { NewEvent, RecordedEvent } from './types';
import { verifyIntegrity } from '../integrity/verify-integrity';

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: uuidv7(),
    type: 'test_event',
    schemaVersion: 1,
    data: { note: 'hello' },
    metadata: { actor: 'system:test', correlationId: randomUUID() },
    occurredAt: new Date('2026-03-15T14:47:00.000Z'),
    ...overrides,
  };
}

describe('appending', () => {
  it('writes a hash-chained stream and reads it back', async () => {
    const streamId = `test-${randomUUID()}`;
    const first = await withTransaction(getPool(), (tx) =>
      appendToStreams(tx, [{ streamId, expectedVersion: 0, events: [newEvent(), newEvent()] }]),
    );
    expect(first.map((event) => event.streamVersion)).toEqual([1, 2]);
    expect(first[0]?.prevHash).toBe(GENESIS_HASH);
    expect(first[1]?.prevHash).toBe(first[0]?.hash);
    const stored = await readStream(getPool(), streamId);
    expect(stored.map((event) => event.hash)).toEqual(first.map((event) => event.hash));
    expect(stored[0]?.recordedAt).toBeInstanceOf(Date);
    expect(stored[0]?.occurredAt.toISOString()).toBe('2026-03-15T14:47:00.000Z');
  });

  it('refuses a wrong expected version with a typed ConcurrencyError', async () => {
    const streamId = `test-${randomUUID()}`;
    await withTransaction(getPool(), (tx) =>
      appendToStreams(tx, [{ streamId, expectedVersion: 0, events: [newEvent()] }]),
    );
    const attempt = withTransaction(getPool(), (tx) =>
      appendToStreams(tx, [{ streamId, expectedVersion: 0, events: [newEvent()] }]),
    );
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(attempt).rejects.toMatchObject({
      code: 'concurrency_conflict',
      streamId,
      expectedVersion: 0,
      actualVersion: 1,
    });
  });

  it('turns the unique index of a racing writer into a ConcurrencyError', async () => {
    const streamId = `test-${randomUUID()}`;
    const pool = separatePool(2);
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await appendToStreams(first, [{ streamId, expectedVersion: 0, events: [newEvent()] }]);
      // The second writer read the head before the first committed: it blocks on the index…
      const racing = appendToStreams(second, [
        { streamId, expectedVersion: 0, events: [newEvent()] },
      ]);
      // It may fail while COMMIT's reply is still on its way: handle that now, assert below.
      racing.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await first.query('COMMIT');
      // …and fails once the first commits.
      await expect(racing).rejects.toBeInstanceOf(ConcurrencyError);
      await second.query('ROLLBACK');
    } finally {
      first.release();
      second.release();
    }
  });

  it('refuses events whose occurredAt goes back in time within a stream', async () => {
    const streamId = `test-${randomUUID()}`;
    await withTransaction(getPool(), (tx) =>
      appendToStreams(tx, [{ streamId, expectedVersion: 0, events: [newEvent()] }]),
    );
    const earlier = newEvent({ occurredAt: new Date('2026-03-15T14:46:59.999Z') });
    await expect(
      withTransaction(getPool(), (tx) =>
        appendToStreams(tx, [{ streamId, expectedVersion: 1, events: [earlier] }]),
      ),
    ).rejects.toBeInstanceOf(EventStoreInvariantError);
  });
});

describe('immutability', () => {
  it('rejects UPDATE, DELETE and TRUNCATE of events, even as superuser', async () => {
    await openTestAccount({ balance: '10.00' });
    const client = await superuserClient();
    try {
      await expect(
        client.query("UPDATE events SET data = '{}' WHERE stream_version = 1"),
      ).rejects.toThrow(/append-only: UPDATE/);
      await expect(client.query('DELETE FROM events')).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query('TRUNCATE events')).rejects.toThrow(/append-only: TRUNCATE/);
      await expect(client.query('TRUNCATE events CASCADE')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
    expect(Number((await tableCounts()).events)).toBeGreaterThan(0);
  });
});

describe('tamper detection', () => {
  it('names the first edited row when the trigger is bypassed', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    await depositFunds({ accountId, input: { amount: '5.00' }, context: context() });
    await depositFunds({ accountId, input: { amount: '7.00' }, context: context() });
    expect(await verifyIntegrity(getPool())).toMatchObject({ ok: true });

    const client = await superuserClient();
    try {
      // What an attacker with superuser rights could do: switch the guard off and rewrite history.
      await client.query('BEGIN');
      await client.query('ALTER TABLE events DISABLE TRIGGER events_reject_update_delete');
      await client.query(
        `UPDATE events SET data = jsonb_set(data, '{amountMinor}', '"50000"') WHERE stream_id = $1 AND stream_version = 3`,
        [`account-${accountId}`],
      );
      await client.query('ALTER TABLE events ENABLE TRIGGER events_reject_update_delete');
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    const report = await verifyIntegrity(getPool());
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({
      streamId: `account-${accountId}`,
      streamVersion: 3,
      reason: 'hash_mismatch',
    });
    const tampered = await getPool().query(
      'SELECT event_id::text AS id FROM events WHERE stream_id = $1 AND stream_version = 3',
      [`account-${accountId}`],
    );
    expect(report.firstBroken?.eventId).toBe(tampered.rows[0].id);
  });
});

describe('atomic transfers', () => {
  it('writes nothing when the second leg fails to insert', async () => {
    const from = await openTestAccount({ balance: '100.00' });
    const to = await openTestAccount({ balance: '0.00' });
    const client = await superuserClient();
    try {
      // Make the credit leg's insert fail, as a crash or constraint failure would.
      await client.query(`
        CREATE FUNCTION fail_credit_leg() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'transfer_completed' AND NEW.stream_id = '${`account-${to}`}' THEN
            RAISE EXCEPTION 'simulated failure of the second insert';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_credit_leg BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_credit_leg();`);
      const before = await tableCounts();
      await expect(
        transferFunds({
          input: { fromAccountId: from, toAccountId: to, amount: '40.00' },
          context: context(),
        }),
      ).rejects.toThrow(/simulated failure/);
      expect(await tableCounts()).toEqual(before);
      expect((await getAccount({ accountId: from }))?.balanceMinor).toBe(10_000n);
      expect((await getAccount({ accountId: to }))?.balanceMinor).toBe(0n);
    } finally {
      await client.query(
        'DROP TRIGGER IF EXISTS fail_credit_leg ON events; DROP FUNCTION IF EXISTS fail_credit_leg();',
      );
      await client.end();
    }
  });

  it('writes both legs with one correlation id when nothing fails', async () => {
    const from = await openTestAccount({ balance: '100.00' });
    const to = await openTestAccount();
    const result = await transferFunds({
      input: { fromAccountId: from, toAccountId: to, amount: '40.00' },
      context: context(),
    });
    expect(result.events.map((event) => [event.streamId, event.type])).toEqual([
      [`account-${from}`, 'transfer_initiated'],
      [`account-${to}`, 'transfer_completed'],
    ]);
    expect(result.events[0]?.metadata.correlationId).toBe(result.events[1]?.metadata.correlationId);
    expect(result.events[0]?.transactionId).toBe(result.events[1]?.transactionId);
    expect(result.accounts.map((account) => account.balanceMinor)).toEqual([6_000n, 4_000n]);
  });
});

describe('global log', () => {
  it('never skips an event whose transaction commits late', async () => {
    const pool = separatePool(3);
    const { checkpoint: start } = await readGlobalLog(getPool(), {
      after: START_OF_LOG,
      limit: 10_000,
    });
    const early = await pool.connect();
    const late = await pool.connect();
    try {
      // T1 inserts first (lower position, lower transaction id) but commits last.
      await early.query('BEGIN');
      const [slow] = await appendToStreams(early, [
        { streamId: `test-${randomUUID()}`, expectedVersion: 0, events: [newEvent()] },
      ]);
      await late.query('BEGIN');
      const [fast] = await appendToStreams(late, [
        { streamId: `test-${randomUUID()}`, expectedVersion: 0, events: [newEvent()] },
      ]);
      await late.query('COMMIT');
      expect(slow && fast && slow.globalPosition < fast.globalPosition).toBe(true);

      // A reader that trusted positions alone would now see `fast` and move past `slow` for good.
      const naive = await getPool().query(
        'SELECT global_position::text AS p FROM events WHERE global_position > $1 ORDER BY 1',
        [slow?.globalPosition.toString()],
      );
      expect(naive.rows.map((row) => row.p)).toContain(fast?.globalPosition.toString());

      // The commit-safe reader holds back everything at or above the open transaction.
      const whileOpen = await readGlobalLog(getPool(), { after: start });
      expect(whileOpen.events.map((event) => event.eventId)).not.toContain(fast?.eventId);
      expect(whileOpen.events.map((event) => event.eventId)).not.toContain(slow?.eventId);

      await early.query('COMMIT');
      const afterCommit = await readGlobalLog(getPool(), { after: whileOpen.checkpoint });
      const ids = afterCommit.events.map((event) => event.eventId);
      expect(ids).toEqual([slow?.eventId, fast?.eventId]);
    } finally {
      early.release();
      late.release();
    }
  });

  it('reads every event exactly once while writers run concurrently', async () => {
    const accountId = await openTestAccount({ balance: '0.00' });
    let checkpoint = (await readGlobalLog(getPool(), { limit: 10_000 })).checkpoint;
    const seen: string[] = [];
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        depositFunds({
          accountId,
          input: { amount: '1.00', reference: String(index) },
          context: context(),
        }),
      ),
    ).finally(() => {
      writing = false;
    });
    while (writing) {
      const page = await readGlobalLog(getPool(), { after: checkpoint, limit: 7 });
      seen.push(...page.events.map((event) => event.eventId));
      checkpoint = page.checkpoint;
    }
    await writers;
    for (;;) {
      const page = await readGlobalLog(getPool(), { after: checkpoint, limit: 50 });
      if (page.events.length === 0) break;
      seen.push(...page.events.map((event) => event.eventId));
      checkpoint = page.checkpoint;
    }
    const stored = await readStream(getPool(), `account-${accountId}`, { afterVersion: 1 });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => stored.some((event) => event.eventId === id)).sort()).toEqual(
      stored.map((event) => event.eventId).sort(),
    );
  });

  it('orders by number, not by text, across digit boundaries', async () => {
    const accountId = await openTestAccount();
    await importHistory({
      actor: 'system:test',
      commands: Array.from({ length: 120 }, (_, index) => ({
        occurredAt: new Date(Date.now() + index),
        command: { type: 'deposit' as const, accountId, amount: '1.00', source: '', reference: '' },
      })),
    });
    const { events } = await readGlobalLog(getPool(), { limit: 10_000 });
    expect(events.length).toBeGreaterThan(120);
    for (let index = 1; index < events.length; index += 1) {
      const previous = events[index - 1] as RecordedEvent;
      const current = events[index] as RecordedEvent;
      const ordered =
        previous.transactionId < current.transactionId ||
        (previous.transactionId === current.transactionId &&
          previous.globalPosition < current.globalPosition);
      expect(
        ordered,
        `${previous.transactionId}/${previous.globalPosition} before ${current.transactionId}/${current.globalPosition}`,
      ).toBe(true);
    }
    const page = await listAuditEvents({ filters: {}, limit: 200 });
    const positions = page.events.map((event) => event.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(await currentCheckpoint(getPool())).toEqual(
      checkpointOf(events[events.length - 1] as RecordedEvent),
    );
  });

  it('turns a plain global position into a checkpoint', async () => {
    const result = await depositFunds({
      accountId: await openTestAccount(),
      input: { amount: '1.00' },
      context: context(),
    });
    const event = result.events[0];
    expect(await checkpointAtPosition(getPool(), event?.globalPosition ?? 0n)).toEqual({
      transactionId: event?.transactionId,
      globalPosition: event?.globalPosition,
    });
    expect(await checkpointAtPosition(getPool(), 999_999_999n)).toBeNull();
  });
});
