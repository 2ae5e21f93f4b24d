import { expect, test } from '@playwright/test';
import { eventFeedPage } from '../../lib/schemas/api-resources';
import {
  asClient,
  expectBody,
  expectOneEffectPerKey,
  expectOnlyWhatFitsSucceeds,
  openAccountViaApi,
} from './support';

test('20 concurrent withdrawals that together exceed the balance: only what fits succeeds', async ({
  request,
}) => {
  await expectOnlyWhatFitsSucceeds(await asClient(request, 'support'));
});

test('the same Idempotency-Key sent 10 times at once: one effect, identical answers', async ({
  request,
}) => {
  await expectOneEffectPerKey(await asClient(request, 'support'));
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
