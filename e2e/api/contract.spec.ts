// Every endpoint of the HTTP API v1, over HTTP against the real server, checked against the
// documented resource schemas.

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  accountAsOfResource,
  accountEventPage,
  accountPage,
  accountResource,
  eventFeedPage,
  healthReport,
  integrityReport,
  movementResult,
  transferResult,
} from '../../lib/schemas/api-resources';
import { createAccountWithHistory } from '../support/ledger';
import { asClient, expectBody, expectProblem, openAccountViaApi } from './support';

test('a full dispute: open, charge, partial reversal, freeze, and the events to prove it', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const admin = await asClient(request, 'admin');

  const created = await support.post('/api/v1/accounts', {
    id: `acc_api_${randomUUID().slice(0, 8)}`,
    ownerId: 'cust_dispute',
    currency: 'USD',
    initialBalance: '500.00',
  });
  const account = await expectBody(created, 201, accountResource);
  expect(created.headers().location).toBe(`/api/v1/accounts/${account.id}`);
  expect(account).toMatchObject({
    ownerId: 'cust_dispute',
    currency: 'USD',
    balance: '500.00',
    frozen: false,
    version: 2,
  });

  const charge = await expectBody(
    await support.post(`/api/v1/accounts/${account.id}/withdrawals`, {
      amount: '149.99',
      destination: 'Card — Gadget Store',
      reference: 'TXN-1',
    }),
    201,
    movementResult,
  );
  expect(charge.account.balance).toBe('350.01');
  const chargeEvent = charge.events[0];
  expect(chargeEvent).toMatchObject({
    type: 'funds_withdrawn',
    version: 3,
    streamId: `account-${account.id}`,
    data: { amountMinor: '14999', currency: 'USD' },
  });

  const partial = await expectBody(
    await support.post('/api/v1/reversals', {
      originalEventId: chargeEvent?.id,
      amount: '49.99',
      reason: 'Dispute D-1: partial refund',
    }),
    201,
    movementResult,
  );
  expect(partial.account.balance).toBe('400.00');
  expect(partial.events[0]).toMatchObject({
    type: 'charge_reversed',
    metadata: { causationId: chargeEvent?.id },
  });
  const rest = await expectBody(
    await support.post('/api/v1/reversals', {
      originalEventId: chargeEvent?.id,
      reason: 'Dispute D-1 upheld',
    }),
    201,
    movementResult,
  );
  expect(rest.events[0]?.data).toMatchObject({ amountMinor: '10000' });
  expect(rest.account.balance).toBe('500.00');

  const frozen = await expectBody(
    await admin.post(`/api/v1/accounts/${account.id}/freeze`, { reason: 'Chargeback pattern' }),
    200,
    accountResource,
  );
  expect(frozen).toMatchObject({ frozen: true, version: 6 });
  await expectProblem(
    await support.post(`/api/v1/accounts/${account.id}/withdrawals`, { amount: '1.00' }),
    409,
    'account_frozen',
  );
  const unfrozen = await expectBody(
    await admin.post(`/api/v1/accounts/${account.id}/unfreeze`, { reason: 'Cleared' }),
    200,
    accountResource,
  );
  expect(unfrozen.frozen).toBe(false);

  const events = await expectBody(
    await support.get(`/api/v1/accounts/${account.id}/events`),
    200,
    accountEventPage,
  );
  expect(events.items.map((event) => event.type)).toEqual([
    'account_opened',
    'funds_deposited',
    'funds_withdrawn',
    'charge_reversed',
    'charge_reversed',
    'account_frozen',
    'account_unfrozen',
  ]);
  expect(events.items.map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  for (const [index, event] of events.items.entries()) {
    if (index > 0) expect(event.prevHash).toBe(events.items[index - 1]?.hash);
  }
  expect(events.nextCursor).toBeNull();
});

test('accounts: get, list by owner with cursors, and events paged by version', async ({
  request,
}) => {
  const api = await asClient(request, 'support');
  const ownerId = `cust_${randomUUID().slice(0, 8)}`;
  const opened = [];
  for (let index = 0; index < 3; index += 1)
    opened.push(
      await openAccountViaApi(api, {
        ownerId,
        currency: index === 2 ? 'JPY' : 'USD',
        initialBalance: index === 2 ? '5' : '105',
      }),
    );

  const one = await api.get(`/api/v1/accounts/${opened[0]?.id}`);
  expect(await expectBody(one, 200, accountResource)).toMatchObject({
    balance: '105.00',
    version: 2,
  });
  expect(one.headers().etag).toBe('"2"');
  expect(
    await expectBody(await api.get(`/api/v1/accounts/${opened[2]?.id}`), 200, accountResource),
  ).toMatchObject({ currency: 'JPY', balance: '5' });

  const first = await expectBody(
    await api.get(`/api/v1/accounts?ownerId=${ownerId}&limit=2`),
    200,
    accountPage,
  );
  expect(first.items).toHaveLength(2);
  expect(first.nextCursor).not.toBeNull();
  const second = await expectBody(
    await api.get(`/api/v1/accounts?ownerId=${ownerId}&limit=2&cursor=${first.nextCursor}`),
    200,
    accountPage,
  );
  expect(second.items).toHaveLength(1);
  expect(second.nextCursor).toBeNull();
  expect([...first.items, ...second.items].map((account) => account.id).sort()).toEqual(
    opened.map((account) => account.id).sort(),
  );

  const pageOne = await expectBody(
    await api.get(`/api/v1/accounts/${opened[0]?.id}/events?limit=1`),
    200,
    accountEventPage,
  );
  expect(pageOne.items.map((event) => event.version)).toEqual([1]);
  expect(pageOne.nextCursor).toBe('1');
  const pageTwo = await expectBody(
    await api.get(
      `/api/v1/accounts/${opened[0]?.id}/events?afterVersion=${pageOne.nextCursor}&limit=1`,
    ),
    200,
    accountEventPage,
  );
  expect(pageTwo.items.map((event) => event.version)).toEqual([2]);
});

test('?at= answers with the account as it stood between known events', async ({ request }) => {
  const api = await asClient(request, 'auditor');
  const id = await createAccountWithHistory([
    { at: '2026-03-01T09:00:00Z', command: 'open' },
    { at: '2026-03-10T10:00:00Z', command: { deposit: '1000.00' } },
    { at: '2026-03-15T14:30:00Z', command: { withdraw: '250.00' } },
    { at: '2026-03-15T14:47:00Z', command: 'freeze' },
    { at: '2026-03-20T08:00:00Z', command: { deposit: '5.00' } },
  ]);
  const at = async (instant: string) =>
    expectBody(
      await api.get(`/api/v1/accounts/${id}?at=${encodeURIComponent(instant)}`),
      200,
      accountAsOfResource,
    );

  expect(await at('2026-03-05T00:00:00Z')).toMatchObject({
    balance: '0.00',
    version: 1,
    frozen: false,
    asOf: '2026-03-05T00:00:00.000Z',
  });
  expect(await at('2026-03-15T14:29:59.999Z')).toMatchObject({
    balance: '1000.00',
    version: 2,
    frozen: false,
  });
  expect(await at('2026-03-15T14:46:00Z')).toMatchObject({
    balance: '750.00',
    version: 3,
    frozen: false,
  });
  const atFreeze = await at('2026-03-15T14:47:00Z');
  expect(atFreeze).toMatchObject({ balance: '750.00', version: 4, frozen: true });
  const events = await expectBody(
    await api.get(`/api/v1/accounts/${id}/events`),
    200,
    accountEventPage,
  );
  expect(atFreeze.lastEventId).toBe(events.items[3]?.id);
  expect(await at('2026-03-19T23:59:59Z')).toMatchObject({ balance: '750.00', version: 4 });
  expect(await at('2026-12-31T00:00:00Z')).toMatchObject({ balance: '755.00', version: 5 });

  await expectProblem(
    await api.get(`/api/v1/accounts/${id}?at=2026-02-01T00:00:00Z`),
    404,
    'not_found',
  );
  await expectProblem(
    await api.get(`/api/v1/accounts/${id}?at=yesterday`),
    400,
    'validation_error',
  );
});

test('transfers move money between accounts and return both', async ({ request }) => {
  const api = await asClient(request, 'support');
  const from = await openAccountViaApi(api, { initialBalance: '100.00' });
  const to = await openAccountViaApi(api);
  const result = await expectBody(
    await api.post('/api/v1/transfers', {
      fromAccountId: from.id,
      toAccountId: to.id,
      amount: '40.25',
      reference: 'INV-9',
    }),
    201,
    transferResult,
  );
  expect(result.from).toMatchObject({ id: from.id, balance: '59.75' });
  expect(result.to).toMatchObject({ id: to.id, balance: '40.25' });
  expect(result.events.map((event) => [event.streamId, event.type])).toEqual([
    [`account-${from.id}`, 'transfer_initiated'],
    [`account-${to.id}`, 'transfer_completed'],
  ]);
  expect(result.events[0]?.metadata.correlationId).toBe(result.events[1]?.metadata.correlationId);
});

test('idempotency: a retry replays the first answer; a different body with the key is refused', async ({
  request,
}) => {
  const api = await asClient(request, 'support');
  const account = await openAccountViaApi(api, { initialBalance: '10.00' });
  const key = randomUUID();
  const first = await api.post(
    `/api/v1/accounts/${account.id}/deposits`,
    { amount: '5.00', reference: 'R-1' },
    { idempotencyKey: key },
  );
  const firstBody = await first.text();
  expect(first.status()).toBe(201);
  // Same body, keys in another order: the same request.
  const retry = await api.post(
    `/api/v1/accounts/${account.id}/deposits`,
    { reference: 'R-1', amount: '5.00' },
    { idempotencyKey: key },
  );
  expect(retry.status()).toBe(201);
  expect(await retry.text()).toBe(firstBody);
  expect(retry.headers()['idempotent-replayed']).toBe('true');
  await expectProblem(
    await api.post(
      `/api/v1/accounts/${account.id}/deposits`,
      { amount: '6.00', reference: 'R-1' },
      { idempotencyKey: key },
    ),
    422,
    'idempotency_key_reused',
  );
  expect(
    await expectBody(await api.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '15.00', version: 3 });
});

test('If-Match sets the expected version; a stale one is refused with 412', async ({ request }) => {
  const api = await asClient(request, 'support');
  const account = await openAccountViaApi(api, { initialBalance: '10.00' });
  await expectProblem(
    await api.post(
      `/api/v1/accounts/${account.id}/deposits`,
      { amount: '1.00' },
      { headers: { 'If-Match': '"1"' } },
    ),
    412,
    'concurrency_conflict',
  );
  const ok = await api.post(
    `/api/v1/accounts/${account.id}/withdrawals`,
    { amount: '1.00' },
    { headers: { 'If-Match': '"2"' } },
  );
  expect((await expectBody(ok, 201, movementResult)).account.version).toBe(3);
  expect(ok.headers().etag).toBe('"3"');
  await expectProblem(
    await api.post(
      `/api/v1/accounts/${account.id}/deposits`,
      { amount: '1.00' },
      { headers: { 'If-Match': 'soon' } },
    ),
    400,
    'validation_error',
  );
});

test('the global feed, the integrity check, health and the request id', async ({ request }) => {
  const auditor = await asClient(request, 'auditor');
  const support = await asClient(request, 'support');
  const start = await expectBody(
    await auditor.get('/api/v1/events?after=0&limit=1'),
    200,
    eventFeedPage,
  );
  expect(start.items).toHaveLength(1);
  const account = await openAccountViaApi(support, { initialBalance: '1.00' });
  let next = start.next;
  const seen: string[] = [];
  for (let page = 0; page < 1000; page += 1) {
    const body = await expectBody(
      await auditor.get(`/api/v1/events?after=${next}&limit=500`),
      200,
      eventFeedPage,
    );
    seen.push(
      ...body.items
        .filter((event) => event.streamId === `account-${account.id}`)
        .map((event) => event.type),
    );
    if (body.items.length === 0) {
      expect(body.next).toBe(next);
      break;
    }
    next = body.next;
  }
  expect(seen).toEqual(['account_opened', 'funds_deposited']);
  await expectProblem(
    await auditor.get('/api/v1/events?after=999999999999'),
    400,
    'validation_error',
  );

  expect(
    await expectBody(await auditor.get('/api/v1/integrity'), 200, integrityReport),
  ).toMatchObject({ ok: true });
  const health = await request.get('/api/health', { headers: { 'X-Request-Id': 'probe-42' } });
  expect(await expectBody(health, 200, healthReport)).toMatchObject({
    status: 'ok',
    database: 'ok',
  });
  expect(health.headers()['x-request-id']).toBe('probe-42');
});
