// Holds over HTTP, as a card processor would use them: authorise (place), capture in parts,
// release, and every refusal with its documented code — checked against the resource schemas.

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  accountAsOfResource,
  accountResource,
  holdPage,
  holdResource,
  holdResult,
} from '../../lib/schemas/api-resources';
import { expireDueHolds } from '../../lib/server/commands/expire-due-holds';
import { freezeAccount } from '../../lib/server/commands/freeze-account';
import { ADVISORY_LOCKS } from '../../lib/server/db/advisory-lock';
import { getPool } from '../../lib/server/db/pool';
import { eventCount, holdEventCount } from '../support/ledger';
import { E2E_SECOND_PORT } from '../support/ports';
import { asClient, expectBody, expectProblem, openAccountViaApi, type Client } from './support';

/** The hold's status as recorded in the `holds` projection: `active` until an expiry is written. */
async function recordedHoldStatus(holdId: string): Promise<string | undefined> {
  const result = await getPool().query<{ status: string }>(
    'SELECT status FROM holds WHERE hold_id = $1',
    [holdId],
  );
  return result.rows[0]?.status;
}

/**
 * Runs `work` while this test holds the hold sweeper's advisory lock: no server instance records an
 * expiry meanwhile (their sweeps skip their turn), so an expired hold stays unrecorded throughout.
 */
async function withSweeperPaused<T>(work: () => Promise<T>): Promise<T> {
  const connection = await getPool().connect();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.holdSweep]);
    try {
      return await work();
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.holdSweep]);
    }
  } finally {
    connection.release();
  }
}

/** Places a hold through the API and returns the answer (201, the hold and its account). */
async function placeHoldViaApi(
  api: Client,
  accountId: string,
  body: { amount: string; reason: string; expiresAt?: string },
) {
  return expectBody(await api.post(`/api/v1/accounts/${accountId}/holds`, body), 201, holdResult);
}

/** Places a hold that expires a few seconds from now; returns its id. */
async function placeExpiringHold(api: Client, accountId: string, amount: string): Promise<string> {
  const placed = await placeHoldViaApi(api, accountId, {
    amount,
    reason: 'Short pre-auth',
    expiresAt: new Date(Date.now() + 3_000).toISOString(),
  });
  expect(placed.hold.status).toBe('active');
  return placed.hold.id;
}

/** Waits until the API answers the hold as expired (its expiry has passed), and returns it. */
async function pollUntilExpired(api: Client, holdId: string) {
  await expect
    .poll(
      async () =>
        (await expectBody(await api.get(`/api/v1/holds/${holdId}`), 200, holdResource)).status,
      { timeout: 20_000 },
    )
    .toBe('expired');
  return expectBody(await api.get(`/api/v1/holds/${holdId}`), 200, holdResource);
}

test('place, capture in parts and release a hold; the account shows posted, held and available', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const auditor = await asClient(request, 'auditor');
  const account = await openAccountViaApi(support, { initialBalance: '200.00' });

  const placedResponse = await support.post(`/api/v1/accounts/${account.id}/holds`, {
    amount: '120.00',
    reason: 'Hotel check-in',
    reference: 'AUTH-1001',
  });
  const placed = await expectBody(placedResponse, 201, holdResult);
  expect(placedResponse.headers().location).toBe(`/api/v1/holds/${placed.hold.id}`);
  expect(placed.events.map((event) => event.type)).toEqual(['hold_placed', 'funds_held']);
  expect(placed.hold).toMatchObject({
    accountId: account.id,
    currency: 'USD',
    amount: '120.00',
    capturedAmount: '0.00',
    remainingAmount: '120.00',
    status: 'active',
    reason: 'Hotel check-in',
    reference: 'AUTH-1001',
    expiresAt: null,
  });
  expect(placed.account).toMatchObject({
    balance: '200.00',
    heldBalance: '120.00',
    availableBalance: '80.00',
  });
  const afterPlace = new Date().toISOString();

  // Reads: the hold, the account's holds, the account.
  expect(
    await expectBody(await auditor.get(`/api/v1/holds/${placed.hold.id}`), 200, holdResource),
  ).toEqual(placed.hold);
  expect(
    await expectBody(await auditor.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ availableBalance: '80.00', heldBalance: '120.00' });

  const captured = await expectBody(
    await support.post(`/api/v1/holds/${placed.hold.id}/captures`, { amount: '45.50' }),
    201,
    holdResult,
  );
  expect(captured.events.map((event) => event.type)).toEqual([
    'hold_captured',
    'held_funds_captured',
  ]);
  expect(captured.hold).toMatchObject({
    capturedAmount: '45.50',
    remainingAmount: '74.50',
    status: 'active',
  });
  expect(captured.account).toMatchObject({
    balance: '154.50',
    heldBalance: '74.50',
    availableBalance: '80.00',
  });

  await expectProblem(
    await support.post(`/api/v1/holds/${placed.hold.id}/captures`, { amount: '74.51' }),
    409,
    'capture_exceeds_hold',
  );

  const released = await expectBody(
    await support.post(`/api/v1/holds/${placed.hold.id}/release`, { reason: 'Checked out early' }),
    200,
    holdResult,
  );
  expect(released.hold).toMatchObject({ status: 'released', remainingAmount: '0.00' });
  expect(released.account).toMatchObject({
    balance: '154.50',
    heldBalance: '0.00',
    availableBalance: '154.50',
  });
  await expectProblem(
    await support.post(`/api/v1/holds/${placed.hold.id}/captures`, {}),
    409,
    'hold_not_active',
  );
  await expectProblem(
    await support.post(`/api/v1/holds/${placed.hold.id}/release`, { reason: 'again' }),
    409,
    'hold_not_active',
  );

  // As of just after the placement, the hold reserved its whole amount.
  const then = await expectBody(
    await auditor.get(`/api/v1/accounts/${account.id}?at=${afterPlace}`),
    200,
    accountAsOfResource,
  );
  expect(then).toMatchObject({
    balance: '200.00',
    heldBalance: '120.00',
    availableBalance: '80.00',
  });
  expect(then.holds).toEqual([
    expect.objectContaining({ id: placed.hold.id, amount: '120.00', remainingAmount: '120.00' }),
  ]);
});

test('a capture without an amount takes everything that remains', async ({ request }) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '30.00' });
  const placed = await placeHoldViaApi(support, account.id, { amount: '30.00', reason: 'Taxi' });
  const captured = await expectBody(
    await support.post(`/api/v1/holds/${placed.hold.id}/captures`, {}),
    201,
    holdResult,
  );
  expect(captured.hold).toMatchObject({ status: 'captured', capturedAmount: '30.00' });
  expect(captured.account).toMatchObject({ balance: '0.00', availableBalance: '0.00' });
});

test('lists an account’s holds by status, newest first, page by page', async ({ request }) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '100.00' });
  const ids: string[] = [];
  for (const amount of ['1.00', '2.00', '3.00']) {
    const placed = await placeHoldViaApi(support, account.id, { amount, reason: 'Pre-auth' });
    ids.push(placed.hold.id);
  }
  await support.post(`/api/v1/holds/${ids[0]}/release`, { reason: 'Cancelled' });

  const first = await expectBody(
    await support.get(`/api/v1/accounts/${account.id}/holds?limit=2`),
    200,
    holdPage,
  );
  expect(first.items.map((hold) => hold.id)).toEqual([ids[2], ids[1]]);
  expect(first.nextCursor).not.toBeNull();
  const second = await expectBody(
    await support.get(`/api/v1/accounts/${account.id}/holds?limit=2&cursor=${first.nextCursor}`),
    200,
    holdPage,
  );
  expect(second).toMatchObject({ items: [{ id: ids[0], status: 'released' }], nextCursor: null });

  const active = await expectBody(
    await support.get(`/api/v1/accounts/${account.id}/holds?status=active`),
    200,
    holdPage,
  );
  expect(active.items.map((hold) => hold.id)).toEqual([ids[2], ids[1]]);
  const released = await expectBody(
    await support.get(`/api/v1/accounts/${account.id}/holds?status=released`),
    200,
    holdPage,
  );
  expect(released.items.map((hold) => hold.id)).toEqual([ids[0]]);

  await expectProblem(
    await support.get(`/api/v1/accounts/${account.id}/holds?status=pending`),
    400,
    'validation_error',
  );
  await expectProblem(
    await support.get(`/api/v1/accounts/${account.id}/holds?cursor=not-ours`),
    400,
    'validation_error',
  );
  await expectProblem(
    await support.get(`/api/v1/accounts/acc_missing_${randomUUID().slice(0, 6)}/holds`),
    404,
    'not_found',
  );
});

test('refusals: each with its code, each writing nothing', async ({ request }) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '50.00' });
  const before = await eventCount(account.id);
  const holds = `/api/v1/accounts/${account.id}/holds`;

  await expectProblem(
    await support.post(holds, { amount: '50.01', reason: 'Too much' }),
    409,
    'insufficient_funds',
  );
  const missingReason = await expectProblem(
    await support.post(holds, { amount: '5.00' }),
    400,
    'validation_error',
  );
  expect(missingReason.errors).toHaveProperty('reason');
  const tooLong = await expectProblem(
    await support.post(holds, {
      amount: '5.00',
      reason: 'Long stay',
      expiresAt: new Date(Date.now() + 91 * 24 * 3600 * 1000).toISOString(),
    }),
    400,
    'validation_error',
  );
  expect(tooLong.errors).toHaveProperty('expiresAt');
  const past = await expectProblem(
    await support.post(holds, {
      amount: '5.00',
      reason: 'Late',
      expiresAt: '2020-01-01T00:00:00Z',
    }),
    400,
    'validation_error',
  );
  expect(past.errors).toHaveProperty('expiresAt');
  await expectProblem(
    await support.post(holds, { amount: '5.001', reason: 'Sub-cent' }),
    400,
    'validation_error',
  );
  await expectProblem(
    await support.post(`/api/v1/holds/${randomUUID()}/captures`, {}),
    404,
    'not_found',
  );
  await expectProblem(
    await support.post('/api/v1/holds/not-a-hold/release', { reason: 'x' }),
    404,
    'not_found',
  );
  await expectProblem(await support.get(`/api/v1/holds/${randomUUID()}`), 404, 'not_found');
  expect(await eventCount(account.id)).toBe(before);

  await freezeAccount({
    accountId: account.id,
    input: { reason: 'Fraud review' },
    context: { actor: 'system:e2e', idempotencyKey: randomUUID() },
  });
  await expectProblem(
    await support.post(holds, { amount: '1.00', reason: 'Frozen' }),
    409,
    'account_frozen',
  );
  expect(await eventCount(account.id)).toBe(before + 1);
});

test('a retried placement returns the first answer and places one hold', async ({ request }) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '20.00' });
  const key = randomUUID();
  const body = { amount: '15.00', reason: 'Fuel pump pre-auth' };
  const first = await support.post(`/api/v1/accounts/${account.id}/holds`, body, {
    idempotencyKey: key,
  });
  const again = await support.post(`/api/v1/accounts/${account.id}/holds`, body, {
    idempotencyKey: key,
  });
  expect(again.status()).toBe(201);
  expect(again.headers()['idempotent-replayed']).toBe('true');
  expect(await again.json()).toEqual(await first.json());
  await expectProblem(
    await support.post(
      `/api/v1/accounts/${account.id}/holds`,
      { amount: '14.00', reason: 'Fuel pump pre-auth' },
      { idempotencyKey: key },
    ),
    422,
    'idempotency_key_reused',
  );
  const page = await expectBody(
    await support.get(`/api/v1/accounts/${account.id}/holds`),
    200,
    holdPage,
  );
  expect(page.items).toHaveLength(1);
});

test('a hold on a frozen account cannot be captured: account_frozen, nothing written', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '100.00' });
  const placed = await placeHoldViaApi(support, account.id, {
    amount: '40.00',
    reason: 'Car rental deposit',
  });
  await freezeAccount({
    accountId: account.id,
    input: { reason: 'Fraud review' },
    context: { actor: 'system:e2e', idempotencyKey: randomUUID() },
  });
  const accountEvents = await eventCount(account.id);
  const holdEvents = await holdEventCount(placed.hold.id);

  const whole = await expectProblem(
    await support.post(`/api/v1/holds/${placed.hold.id}/captures`, {}),
    409,
    'account_frozen',
  );
  expect(whole.detail).toContain(account.id);
  await expectProblem(
    await support.post(`/api/v1/holds/${placed.hold.id}/captures`, { amount: '1.00' }),
    409,
    'account_frozen',
  );

  expect(await eventCount(account.id)).toBe(accountEvents);
  expect(await holdEventCount(placed.hold.id)).toBe(holdEvents);
  expect(
    await expectBody(await support.get(`/api/v1/holds/${placed.hold.id}`), 200, holdResource),
  ).toEqual(placed.hold);
  expect(
    await expectBody(await support.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '100.00', heldBalance: '40.00', frozen: true });
});

test('an expired hold cannot be captured or released before the sweeper records it: hold_not_active', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '50.00' });
  await withSweeperPaused(async () => {
    const holdId = await placeExpiringHold(support, account.id, '25.00');
    await pollUntilExpired(support, holdId);
    const accountEvents = await eventCount(account.id);

    await expectProblem(
      await support.post(`/api/v1/holds/${holdId}/captures`, {}),
      409,
      'hold_not_active',
    );
    await expectProblem(
      await support.post(`/api/v1/holds/${holdId}/captures`, { amount: '1.00' }),
      409,
      'hold_not_active',
    );
    await expectProblem(
      await support.post(`/api/v1/holds/${holdId}/release`, { reason: 'Too late' }),
      409,
      'hold_not_active',
    );

    // Refused on the clock alone: the expiry is still unrecorded, and nothing else was written.
    expect(await recordedHoldStatus(holdId)).toBe('active');
    expect(await holdEventCount(holdId)).toBe(1);
    expect(await eventCount(account.id)).toBe(accountEvents);
    expect(
      await expectBody(await support.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
    ).toMatchObject({ balance: '50.00', heldBalance: '0.00', availableBalance: '50.00' });
  });
});

test('a release needs a reason: 400 validation_error, nothing written, the key still free', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '30.00' });
  const placed = await placeHoldViaApi(support, account.id, { amount: '12.00', reason: 'Parking' });
  const release = `/api/v1/holds/${placed.hold.id}/release`;
  const accountEvents = await eventCount(account.id);
  const idempotencyKey = randomUUID();

  for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: null }]) {
    const problem = await expectProblem(
      await support.post(release, body, { idempotencyKey }),
      400,
      'validation_error',
    );
    expect(problem.errors, JSON.stringify(body)).toHaveProperty('reason');
  }
  expect(await eventCount(account.id)).toBe(accountEvents);
  expect(await holdEventCount(placed.hold.id)).toBe(1);
  expect(
    await expectBody(await support.get(`/api/v1/holds/${placed.hold.id}`), 200, holdResource),
  ).toMatchObject({ status: 'active', remainingAmount: '12.00' });

  // Refusals store nothing under the key: the same key with a reason releases the hold.
  const released = await expectBody(
    await support.post(release, { reason: 'Left the car park' }, { idempotencyKey }),
    200,
    holdResult,
  );
  expect(released.hold).toMatchObject({ status: 'released', remainingAmount: '0.00' });
});

test('lists captured and expired holds by status; an unrecorded expiry already reads as expired', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const auditor = await asClient(request, 'auditor');
  const account = await openAccountViaApi(support, { initialBalance: '100.00' });
  const place = async (amount: string) =>
    (await placeHoldViaApi(support, account.id, { amount, reason: 'Pre-auth' })).hold.id;
  const list = async (status: string) =>
    (
      await expectBody(
        await auditor.get(`/api/v1/accounts/${account.id}/holds?status=${status}`),
        200,
        holdPage,
      )
    ).items;

  const captured = await place('10.00');
  await expectBody(await support.post(`/api/v1/holds/${captured}/captures`, {}), 201, holdResult);
  const partlyCaptured = await place('20.00');
  await expectBody(
    await support.post(`/api/v1/holds/${partlyCaptured}/captures`, { amount: '5.00' }),
    201,
    holdResult,
  );
  const released = await place('3.00');
  await expectBody(
    await support.post(`/api/v1/holds/${released}/release`, { reason: 'Cancelled' }),
    200,
    holdResult,
  );

  // One expiry the sweeper has recorded (swept here rather than waiting for the servers' turn)…
  const recorded = await placeExpiringHold(support, account.id, '4.00');
  await pollUntilExpired(auditor, recorded);
  await expect
    .poll(async () => {
      await expireDueHolds();
      return recordedHoldStatus(recorded);
    })
    .toBe('expired');

  const unrecordedHold = await withSweeperPaused(async () => {
    // …and one it has not.
    const unrecorded = await placeExpiringHold(support, account.id, '6.00');
    const expired = await pollUntilExpired(auditor, unrecorded);
    expect(expired).toMatchObject({
      id: unrecorded,
      status: 'expired',
      amount: '6.00',
      capturedAmount: '0.00',
      remainingAmount: '0.00',
    });
    expect(await recordedHoldStatus(unrecorded)).toBe('active');
    expect(await holdEventCount(unrecorded)).toBe(1);

    const capturedItems = await list('captured');
    expect(capturedItems.map((item) => item.id)).toEqual([captured]);
    expect(capturedItems[0]).toMatchObject({
      status: 'captured',
      capturedAmount: '10.00',
      remainingAmount: '0.00',
    });
    const expiredItems = await list('expired');
    expect(expiredItems.map((item) => item.id)).toEqual([unrecorded, recorded]);
    expect(expiredItems.map((item) => item.status)).toEqual(['expired', 'expired']);
    expect(expiredItems[0]).toEqual(expired);
    expect((await list('active')).map((item) => item.id)).toEqual([partlyCaptured]);
    expect((await list('released')).map((item) => item.id)).toEqual([released]);
    expect(
      await expectBody(await auditor.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
    ).toMatchObject({ balance: '85.00', heldBalance: '15.00', availableBalance: '70.00' });

    return expired;
  });

  // Recording the expiry changes nothing a reader sees.
  await expect
    .poll(async () => {
      await expireDueHolds();
      return recordedHoldStatus(unrecordedHold.id);
    })
    .toBe('expired');
  expect(
    await expectBody(await auditor.get(`/api/v1/holds/${unrecordedHold.id}`), 200, holdResource),
  ).toEqual(unrecordedHold);
  expect((await list('expired')).map((item) => item.id)).toEqual([unrecordedHold.id, recorded]);
});

test('a retried capture or release answers the same bytes and records it once', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const account = await openAccountViaApi(support, { initialBalance: '100.00' });
  const placed = await placeHoldViaApi(support, account.id, {
    amount: '50.00',
    reason: 'Hotel incidentals',
  });
  const holdId = placed.hold.id;
  const accountEvents = await eventCount(account.id);
  // Retries reach either instance, as behind a load balancer.
  const instance = (n: number) => (n % 2 === 0 ? '' : `http://localhost:${E2E_SECOND_PORT}`);
  const capture = (idempotencyKey: string, amount: string, n = 0) =>
    support.post(`${instance(n)}/api/v1/holds/${holdId}/captures`, { amount }, { idempotencyKey });
  const release = (idempotencyKey: string, n = 0) =>
    support.post(
      `${instance(n)}/api/v1/holds/${holdId}/release`,
      { reason: 'Checked out' },
      { idempotencyKey },
    );

  // A partial capture, retried: run again, it would capture another 10.00.
  const captureKey = randomUUID();
  const firstCapture = await capture(captureKey, '10.00');
  const firstCaptureBody = await firstCapture.text();
  expect(firstCapture.status(), firstCaptureBody).toBe(201);
  expect(firstCapture.headers()['idempotent-replayed']).toBeUndefined();
  expect(holdResult.parse(JSON.parse(firstCaptureBody)).hold).toMatchObject({
    capturedAmount: '10.00',
    remainingAmount: '40.00',
  });
  const retriedCapture = await capture(captureKey, '10.00', 1);
  expect(retriedCapture.status()).toBe(201);
  expect(retriedCapture.headers()['idempotent-replayed']).toBe('true');
  expect(await retriedCapture.text()).toBe(firstCaptureBody);
  expect(await holdEventCount(holdId)).toBe(2);
  expect(await eventCount(account.id)).toBe(accountEvents + 1);
  await expectProblem(await capture(captureKey, '11.00'), 422, 'idempotency_key_reused');

  // Another capture, its duplicates arriving at once: one runs, all answer alike.
  const concurrentKey = randomUUID();
  const captures = await Promise.all(
    Array.from({ length: 6 }, (_, n) => capture(concurrentKey, '5.00', n)),
  );
  expect(captures.map((response) => response.status())).toEqual(Array(6).fill(201));
  const captureBodies = new Set(await Promise.all(captures.map((response) => response.text())));
  expect(captureBodies.size).toBe(1);
  expect(
    captures.filter((response) => response.headers()['idempotent-replayed'] === 'true'),
  ).toHaveLength(5);
  expect(holdResult.parse(JSON.parse([...captureBodies][0] ?? '')).hold).toMatchObject({
    capturedAmount: '15.00',
    remainingAmount: '35.00',
  });
  expect(await holdEventCount(holdId)).toBe(3);
  expect(await eventCount(account.id)).toBe(accountEvents + 2);

  // A release, its duplicates arriving at once: run twice, the second would be hold_not_active.
  const releaseKey = randomUUID();
  const releases = await Promise.all(Array.from({ length: 6 }, (_, n) => release(releaseKey, n)));
  expect(releases.map((response) => response.status())).toEqual(Array(6).fill(200));
  const releaseBodies = new Set(await Promise.all(releases.map((response) => response.text())));
  expect(releaseBodies.size).toBe(1);
  expect(
    releases.filter((response) => response.headers()['idempotent-replayed'] === 'true'),
  ).toHaveLength(5);
  const firstReleaseBody = [...releaseBodies][0] ?? '';
  expect(holdResult.parse(JSON.parse(firstReleaseBody)).hold).toMatchObject({
    status: 'released',
    capturedAmount: '15.00',
    remainingAmount: '0.00',
  });
  // And retried later, alone.
  const lateRelease = await release(releaseKey, 1);
  expect(lateRelease.status()).toBe(200);
  expect(lateRelease.headers()['idempotent-replayed']).toBe('true');
  expect(await lateRelease.text()).toBe(firstReleaseBody);

  // The first capture's retry still answers what it answered first, though the hold is released.
  const lateCapture = await capture(captureKey, '10.00');
  expect(lateCapture.status()).toBe(201);
  expect(await lateCapture.text()).toBe(firstCaptureBody);

  expect(await holdEventCount(holdId)).toBe(4);
  expect(await eventCount(account.id)).toBe(accountEvents + 3);
  expect(
    await expectBody(await support.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '85.00', heldBalance: '0.00', availableBalance: '85.00' });
});
