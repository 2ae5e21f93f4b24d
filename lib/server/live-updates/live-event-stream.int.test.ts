// The live-update stream is pull-based and bounded: a client that stops reading costs at most a
// page, however much is written meanwhile; a client too far behind is told to reset.

import { describe, expect, it } from 'vitest';
import { context, openTestAccount } from '../../../test/support';
import { untilCommitSafe } from '../checkpoints/checkpoint-test-support';
import { depositFunds } from '../commands/deposit-funds';
import { getPool, type Queryable } from '../db/pool';
import { FOLLOW_PAGE_SIZE } from '../event-store/follow-global-log';
import { currentCheckpoint, type GlobalCheckpoint } from '../event-store/read-global-log';
import { importHistory } from '../import/import-history';
import { InProcessNotifier } from '../notifications/notifier';
import { createLiveEventStream } from './live-event-stream';

/** The pool, counting how many events its queries returned from the events table. */
function countingDb(): { db: Queryable; eventsRead: () => number } {
  let eventsRead = 0;
  const pool = getPool();
  const db = {
    query: async (...args: Parameters<typeof pool.query>) => {
      const result = await (pool.query as (...a: unknown[]) => Promise<{ rows: unknown[] }>)(
        ...args,
      );
      const text = typeof args[0] === 'string' ? args[0] : '';
      if (/FROM events\s/.test(text) && result.rows.length > 1) eventsRead += result.rows.length;
      return result;
    },
  } as unknown as Queryable;
  return { db, eventsRead: () => eventsRead };
}

function open(
  start: GlobalCheckpoint,
  options: { db?: Queryable; isResumption?: boolean; resumeLimitEvents?: number } = {},
) {
  const abort = new AbortController();
  let ends = 0;
  const stream = createLiveEventStream({
    db: options.db ?? getPool(),
    notifier: new InProcessNotifier(),
    start,
    isResumption: options.isResumption ?? false,
    wantsStream: null,
    resumeLimitEvents: options.resumeLimitEvents ?? 10_000,
    signal: abort.signal,
    pollIntervalMs: 50,
    onError: (error) => {
      throw error;
    },
    onEnd: () => {
      ends += 1;
    },
  });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  return {
    abort: () => abort.abort(),
    ends: () => ends,
    /** The next chunk as text, or null when the stream has ended. */
    read: async () => {
      const { value, done } = await reader.read();
      return done ? null : decoder.decode(value);
    },
  };
}

async function depositsOf(count: number, accountId: string) {
  const base = Date.now();
  await importHistory({
    actor: 'system:test',
    batchSize: 5_000,
    commands: Array.from({ length: count }, (_, index) => ({
      occurredAt: new Date(base + index),
      command: { type: 'deposit' as const, accountId, amount: '0.01', source: '', reference: '' },
    })),
  });
}

const ledgerMessages = (text: string | null) => (text ?? '').split('event: ledger').length - 1;

describe('the live-update stream', () => {
  it('reads nothing more for a client that stopped reading while 50,000 events were written, then resets it', async () => {
    const accountId = await openTestAccount();
    const { db, eventsRead } = countingDb();
    await untilCommitSafe();
    const client = open(await currentCheckpoint(getPool()), { db });
    expect(await client.read()).toMatch(/^retry: \d+/);

    // The client now stops reading while 50,000 events are committed.
    await depositsOf(50_000, accountId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // At most the one page the stream keeps ready for the client was read.
    expect(eventsRead()).toBeLessThanOrEqual(FOLLOW_PAGE_SIZE);

    // Reading again: the page that was ready, then `reset` instead of 49,500 more.
    const page = await client.read();
    expect(ledgerMessages(page)).toBe(FOLLOW_PAGE_SIZE);
    expect(await client.read()).toContain('event: reset');
    expect(await client.read()).toBeNull();
    expect(eventsRead()).toBeLessThanOrEqual(2 * FOLLOW_PAGE_SIZE);
    expect(client.ends()).toBe(1);
  }, 120_000);

  it('tells a client resuming from too far back to reset, and resumes one within the limit', async () => {
    const accountId = await openTestAccount();
    await untilCommitSafe();
    const old = await currentCheckpoint(getPool());
    await depositsOf(30, accountId);
    await untilCommitSafe();

    const tooFar = open(old, { isResumption: true, resumeLimitEvents: 10 });
    expect(await tooFar.read()).toContain('event: reset');
    expect(await tooFar.read()).toBeNull();

    const nearBy = open(old, { isResumption: true, resumeLimitEvents: 100 });
    expect(await nearBy.read()).toMatch(/^retry:/);
    expect(ledgerMessages(await nearBy.read())).toBe(30);
    nearBy.abort();
  });

  it('follows new commits live, and ends when aborted', async () => {
    const accountId = await openTestAccount();
    await untilCommitSafe();
    const client = open(await currentCheckpoint(getPool()));
    expect(await client.read()).toMatch(/^retry:/);
    const reading = client.read();
    await depositFunds({ accountId, input: { amount: '1.00' }, context: context() });
    expect(ledgerMessages(await reading)).toBe(1);
    client.abort();
    expect(await client.read()).toBeNull();
    expect(client.ends()).toBe(1);
  });
});
