import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { accountResource, eventFeedPage } from '../../lib/schemas/api-resources';
import { asClient, expectBody, openAccountViaApi } from './support';

test('20 concurrent withdrawals that together exceed the balance: only what fits succeeds', async ({
  request,
}) => {
  const api = await asClient(request, 'support');
  const account = await openAccountViaApi(api, { initialBalance: '100.00' });
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      api.post(`/api/v1/accounts/${account.id}/withdrawals`, { amount: '7.00' }),
    ),
  );
  const statuses = responses.map((response) => response.status());
  expect(statuses.filter((status) => status === 201)).toHaveLength(14);
  expect(statuses.filter((status) => status === 409)).toHaveLength(6);
  for (const response of responses.filter((item) => item.status() === 409)) {
    expect(((await response.json()) as { code: string }).code).toBe('insufficient_funds');
  }
  const balances = await Promise.all(
    responses
      .filter((item) => item.status() === 201)
      .map(
        async (item) => ((await item.json()) as { account: { balance: string } }).account.balance,
      ),
  );
  expect(balances.every((balance) => !balance.startsWith('-'))).toBe(true);
  expect(
    await expectBody(await api.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '2.00', version: 16 });
});

test('the same Idempotency-Key sent 10 times at once: one effect, identical answers', async ({
  request,
}) => {
  const api = await asClient(request, 'support');
  const account = await openAccountViaApi(api, { initialBalance: '100.00' });
  const key = randomUUID();
  const responses = await Promise.all(
    Array.from({ length: 10 }, () =>
      api.post(
        `/api/v1/accounts/${account.id}/withdrawals`,
        { amount: '60.00', reference: 'once' },
        { idempotencyKey: key },
      ),
    ),
  );
  expect(responses.map((response) => response.status())).toEqual(Array(10).fill(201));
  const bodies = await Promise.all(responses.map((response) => response.text()));
  expect(new Set(bodies).size).toBe(1);
  expect(
    responses.filter((response) => response.headers()['idempotent-replayed'] === 'true'),
  ).toHaveLength(9);
  expect(
    await expectBody(await api.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '40.00', version: 3 });
});

test('the global feed read while writers are busy: every event once, no gaps, no duplicates', async ({
  request,
}) => {
  const writer = await asClient(request, 'support');
  const reader = await asClient(request, 'auditor');
  const accounts = await Promise.all(
    Array.from({ length: 4 }, () => openAccountViaApi(writer, { initialBalance: '1000.00' })),
  );
  // Start from the newest position now.
  let next = '0';
  for (;;) {
    const page = await expectBody(
      await reader.get(`/api/v1/events?after=${next}&limit=1000`),
      200,
      eventFeedPage,
    );
    if (page.items.length === 0) break;
    next = page.next;
  }
  const written: string[] = [];
  let writing = true;
  const writers = Promise.all(
    accounts.map(async (account, index) => {
      for (let round = 0; round < 12; round += 1) {
        const target = accounts[(index + 1) % accounts.length] as { id: string };
        const response =
          round % 3 === 0
            ? await writer.post('/api/v1/transfers', {
                fromAccountId: account.id,
                toAccountId: target.id,
                amount: '1.00',
              })
            : await writer.post(`/api/v1/accounts/${account.id}/deposits`, { amount: '1.00' });
        expect(response.status()).toBe(201);
        written.push(
          ...((await response.json()) as { events: Array<{ id: string }> }).events.map(
            (event) => event.id,
          ),
        );
      }
    }),
  ).finally(() => {
    writing = false;
  });
  const seen: string[] = [];
  const read = async () => {
    const page = await expectBody(
      await reader.get(`/api/v1/events?after=${next}&limit=7`),
      200,
      eventFeedPage,
    );
    seen.push(...page.items.map((event) => event.id));
    next = page.next;
    return page.items.length;
  };
  while (writing) await read();
  await writers;
  while ((await read()) > 0);
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...written].sort());
  // 4 accounts × (8 deposits + 4 transfers of two legs).
  expect(written).toHaveLength(4 * (8 + 4 * 2));
});
