// The live-update stream at the HTTP level: a client that disconnects and reconnects with its
// Last-Event-ID receives exactly the events it missed, no more and no fewer.

import { expect, test, type BrowserContext } from '@playwright/test';
import { E2E_PORT } from './support/ports';
import { createAccount, createTestUser, setUserDisabled, signIn } from './support/ledger';
import { randomUUID } from 'node:crypto';
import { depositFunds } from '../lib/server/commands/deposit-funds';

interface StreamMessage {
  id: string | undefined;
  event: string | undefined;
  data: string | undefined;
}

/** Reads server-sent events until `count` ledger events arrived, then disconnects. */
async function readLedgerEvents(
  context: BrowserContext,
  query: string,
  count: number,
  lastEventId?: string,
) {
  const cookies = (await context.cookies())
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
  const controller = new AbortController();
  const response = await fetch(`http://localhost:${E2E_PORT}/api/events/stream?${query}`, {
    headers: { cookie: cookies, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: StreamMessage[] = [];
  let lastId: string | undefined = lastEventId;
  let buffer = '';
  const deadline = Date.now() + 15_000;
  while (events.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const message: StreamMessage = { id: undefined, event: undefined, data: undefined };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) message.id = line.slice(4);
        if (line.startsWith('event: ')) message.event = line.slice(7);
        if (line.startsWith('data: ')) message.data = line.slice(6);
      }
      if (message.id) lastId = message.id;
      if (message.event === 'ledger' && events.length < count) events.push(message);
      boundary = buffer.indexOf('\n\n');
    }
  }
  controller.abort();
  return {
    events: events.map(
      (message) => JSON.parse(message.data ?? '{}') as { eventId: string; type: string },
    ),
    lastId,
  };
}

test('a client that reconnects with Last-Event-ID misses nothing', async ({ page, context }) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '1.00' });
  await signIn(page, auditor);
  const deposit = (amount: string) =>
    depositFunds({
      accountId: account,
      input: { amount },
      context: { actor: 'system:e2e', idempotencyKey: randomUUID() },
    });

  // Connected: sees the first deposit.
  const firstRead = readLedgerEvents(context, `account=${account}`, 1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const first = await deposit('1.00');
  const connected = await firstRead;
  expect(connected.events.map((event) => event.eventId)).toEqual([first.events[0]?.eventId]);

  // Disconnected: three deposits happen meanwhile.
  const missed = [await deposit('2.00'), await deposit('3.00'), await deposit('4.00')].map(
    (result) => result.events[0]?.eventId,
  );

  // Reconnected from the last id seen: exactly the missed events, in order.
  const resumed = await readLedgerEvents(context, `account=${account}`, 3, connected.lastId);
  expect(resumed.events.map((event) => event.eventId)).toEqual(missed);
});

test('a user disabled while streaming is cut off, and cannot reconnect', async ({
  page,
  context,
}) => {
  const auditor = await createTestUser('auditor');
  await signIn(page, auditor);
  const cookies = (await context.cookies())
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
  const response = await fetch(`http://localhost:${E2E_PORT}/api/events/stream`, {
    headers: { cookie: cookies },
  });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  await setUserDisabled(auditor.id, true);
  const started = Date.now();
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    expect(
      Date.now() - started,
      'the stream should end soon after the user is disabled',
    ).toBeLessThan(10_000);
  }
  const again = await fetch(`http://localhost:${E2E_PORT}/api/events/stream`, {
    headers: { cookie: cookies },
  });
  expect(again.status).toBe(401);
});

test('the stream refuses anyone who is not signed in', async () => {
  const response = await fetch(`http://localhost:${E2E_PORT}/api/events/stream`);
  expect(response.status).toBe(401);
});
