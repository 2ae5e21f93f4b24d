// Four-eyes approvals and backdated corrections over HTTP, as an integrator meets them: a large
// withdrawal answers 202 with the approval request; a retry gets the same request; the maker's own
// keys cannot approve it; another person's key approves it and the money moves once. A correction
// always waits for approval, and once approved the account answers on both time axes.

import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  accountAsOfResource,
  holdResult,
  movementResult,
  transferResult,
  accountEventPage,
  approvalDecisionResult,
  approvalPage,
  approvalResource,
  signedStatementResource,
} from '../../lib/schemas/api-resources';
import { createTestUser, eventCount } from '../support/ledger';
import { LARGE_AMOUNT } from '../support/approvals';
import { createApiKey } from '../../lib/server/api-keys/create-api-key';
import { startOwnServer } from '../support/own-server';
import { E2E_OWN_SERVER_PORT } from '../support/ports';
import {
  apiKeyFor,
  asClient,
  client,
  expectBody,
  expectProblem,
  openAccountViaApi,
} from './support';

/** A key of `role` owned by a new admin: another person than the owner of asClient's keys. */
async function anotherPersonsClient(
  request: Parameters<typeof client>[0],
  role: 'admin' | 'support',
) {
  const owner = await createTestUser('admin');
  const created = await createApiKey({
    input: { name: `checker ${randomUUID().slice(0, 6)}`, role },
    ownerId: owner.id,
    actor: 'system:e2e',
  });
  return client(request, created.key);
}

test('a large withdrawal waits for a second person, and runs once when another approves it', async ({
  request,
}) => {
  const maker = await asClient(request, 'support');
  const makersOtherKey = await asClient(request, 'admin');
  const auditor = await asClient(request, 'auditor');
  const account = await openAccountViaApi(maker, { initialBalance: '2000000.00' });
  const key = randomUUID();
  const path = `/api/v1/accounts/${account.id}/withdrawals`;

  const heldResponse = await maker.post(
    path,
    { amount: LARGE_AMOUNT, reference: 'P-77' },
    { idempotencyKey: key },
  );
  const held = await expectBody(heldResponse, 202, approvalResource);
  expect(heldResponse.headers().location).toBe(`/api/v1/approvals/${held.id}`);
  expect(held).toMatchObject({
    kind: 'withdraw',
    status: 'pending',
    amount: '1500000.00',
    currency: 'USD',
    command: { type: 'withdraw', accountId: account.id, amount: LARGE_AMOUNT, reference: 'P-77' },
    preview: [
      {
        accountId: account.id,
        balanceBefore: '2000000.00',
        balanceAfter: '500000.00',
      },
    ],
    approverRoles: ['admin', 'support'],
  });
  expect(await eventCount(account.id)).toBe(2);

  // A retry with the same key is the same request; the same key for another body is refused.
  const again = await maker.post(
    path,
    { amount: LARGE_AMOUNT, reference: 'P-77' },
    { idempotencyKey: key },
  );
  expect((await expectBody(again, 202, approvalResource)).id).toBe(held.id);
  expect(again.headers()['idempotent-replayed']).toBe('true');
  await expectProblem(
    await maker.post(path, { amount: '1500000.01' }, { idempotencyKey: key }),
    422,
    'idempotency_key_reused',
  );

  const pending = await expectBody(
    await auditor.get('/api/v1/approvals?status=pending&limit=100'),
    200,
    approvalPage,
  );
  expect(pending.items.map((item) => item.id)).toContain(held.id);

  // The maker's own keys — either role — are the maker.
  await expectProblem(
    await maker.post(`/api/v1/approvals/${held.id}/approve`, {}),
    403,
    'self_approval_forbidden',
  );
  await expectProblem(
    await makersOtherKey.post(`/api/v1/approvals/${held.id}/approve`, {}),
    403,
    'self_approval_forbidden',
  );
  await expectProblem(
    await auditor.post(`/api/v1/approvals/${held.id}/approve`, {}),
    403,
    'forbidden',
  );
  expect(await eventCount(account.id)).toBe(2);

  const checker = await anotherPersonsClient(request, 'support');
  const approved = await expectBody(
    await checker.post(`/api/v1/approvals/${held.id}/approve`, {}),
    200,
    approvalDecisionResult,
  );
  expect(approved.approval).toMatchObject({ status: 'approved', decidedBy: { role: 'support' } });
  const withdrawn = approved.events.find((event) => event.type === 'funds_withdrawn');
  expect(withdrawn?.metadata).toMatchObject({ actor: held.maker.actor, approvalId: held.id });
  expect(withdrawn?.metadata.approvedBy).toMatch(/^api_key:/);
  await expectProblem(
    await checker.post(`/api/v1/approvals/${held.id}/approve`, {}),
    409,
    'approval_not_pending',
  );
  const after = await (await auditor.get(`/api/v1/accounts/${account.id}`)).json();
  expect(after.balance).toBe('500000.00');
  expect(
    (await expectBody(await auditor.get(`/api/v1/approvals/${held.id}`), 200, approvalResource))
      .status,
  ).toBe('approved');
});

test('a request can be rejected with a reason, or cancelled by its maker, and then never runs', async ({
  request,
}) => {
  const maker = await asClient(request, 'support');
  const checker = await anotherPersonsClient(request, 'admin');
  const account = await openAccountViaApi(maker, { initialBalance: '3000000.00' });
  const path = `/api/v1/accounts/${account.id}/withdrawals`;
  const first = await expectBody(
    await maker.post(path, { amount: LARGE_AMOUNT }),
    202,
    approvalResource,
  );
  const second = await expectBody(
    await maker.post(path, { amount: LARGE_AMOUNT }),
    202,
    approvalResource,
  );

  await expectProblem(
    await checker.post(`/api/v1/approvals/${first.id}/reject`, {}),
    400,
    'validation_error',
  );
  const rejected = await expectBody(
    await checker.post(`/api/v1/approvals/${first.id}/reject`, {
      reason: 'Not confirmed by the customer',
    }),
    200,
    approvalDecisionResult,
  );
  expect(rejected.approval).toMatchObject({
    status: 'rejected',
    reason: 'Not confirmed by the customer',
  });
  await expectProblem(
    await checker.post(`/api/v1/approvals/${first.id}/approve`, {}),
    409,
    'approval_not_pending',
  );

  await expectProblem(
    await checker.post(`/api/v1/approvals/${second.id}/cancel`, {}),
    403,
    'forbidden',
  );
  const cancelled = await expectBody(
    await maker.post(`/api/v1/approvals/${second.id}/cancel`, { reason: 'Duplicate' }),
    200,
    approvalDecisionResult,
  );
  expect(cancelled.approval.status).toBe('cancelled');
  const listed = await expectBody(
    await maker.get('/api/v1/approvals?status=cancelled&limit=100'),
    200,
    approvalPage,
  );
  expect(listed.items.map((item) => item.id)).toContain(second.id);
  expect((await (await maker.get(`/api/v1/accounts/${account.id}`)).json()).balance).toBe(
    '3000000.00',
  );
  await expectProblem(await maker.get('/api/v1/approvals?status=someday'), 400, 'validation_error');
  await expectProblem(await maker.get(`/api/v1/approvals/${randomUUID()}`), 404, 'not_found');
});

test('a backdated correction waits for approval, then the account answers as known now and as known then', async ({
  request,
}) => {
  const admin = await asClient(request, 'admin');
  const checker = await anotherPersonsClient(request, 'admin');
  const account = await openAccountViaApi(admin, { initialBalance: '100.00' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const effectiveAt = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const beforeCorrection = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));

  const support = await asClient(request, 'support');
  await expectProblem(
    await support.post(`/api/v1/accounts/${account.id}/corrections`, {
      kind: 'deposit',
      amount: '5.00',
      effectiveAt,
      reason: 'x',
    }),
    403,
    'forbidden',
  );
  await expectProblem(
    await admin.post(`/api/v1/accounts/${account.id}/corrections`, {
      kind: 'deposit',
      amount: '5.00',
      effectiveAt: '2000-01-01T00:00:00Z',
      reason: 'Too early',
    }),
    400,
    'validation_error',
  );
  const held = await expectBody(
    await admin.post(`/api/v1/accounts/${account.id}/corrections`, {
      kind: 'deposit',
      amount: '25.00',
      effectiveAt,
      reason: 'Wire posted late',
    }),
    202,
    approvalResource,
  );
  expect(held).toMatchObject({ kind: 'record_correction', approverRoles: ['admin'] });
  const approved = await expectBody(
    await checker.post(`/api/v1/approvals/${held.id}/approve`, {}),
    200,
    approvalDecisionResult,
  );
  const corrected = approved.events.find((event) => event.type === 'balance_corrected');
  expect(corrected?.data).toMatchObject({ kind: 'deposit', amountMinor: '2500', effectiveAt });

  const asKnownNow = await expectBody(
    await admin.get(`/api/v1/accounts/${account.id}?at=${encodeURIComponent(effectiveAt)}`),
    200,
    accountAsOfResource,
  );
  expect(asKnownNow).toMatchObject({
    balance: '125.00',
    correctionsAmount: '25.00',
    knownAt: null,
  });
  const asKnownThen = await expectBody(
    await admin.get(
      `/api/v1/accounts/${account.id}?at=${encodeURIComponent(effectiveAt)}&knownAt=${encodeURIComponent(beforeCorrection)}`,
    ),
    200,
    accountAsOfResource,
  );
  expect(asKnownThen).toMatchObject({ balance: '100.00', correctionsAmount: '0.00' });

  const eventsThen = await expectBody(
    await admin.get(
      `/api/v1/accounts/${account.id}/events?knownAt=${encodeURIComponent(beforeCorrection)}`,
    ),
    200,
    accountEventPage,
  );
  expect(eventsThen.items.map((event) => event.type)).not.toContain('balance_corrected');
  const eventsAt = await expectBody(
    await admin.get(`/api/v1/accounts/${account.id}/events?at=${encodeURIComponent(effectiveAt)}`),
    200,
    accountEventPage,
  );
  expect(eventsAt.items.map((event) => event.type)).toContain('balance_corrected');

  const statementThen = await expectBody(
    await admin.get(
      `/api/v1/accounts/${account.id}/statement?from=2020-01-01T00:00:00Z&knownAt=${encodeURIComponent(beforeCorrection)}`,
    ),
    200,
    signedStatementResource,
  );
  expect(statementThen.statement.closingBalanceMinor).toBe('10000');
  const statementNow = await expectBody(
    await admin.get(`/api/v1/accounts/${account.id}/statement?from=2020-01-01T00:00:00Z`),
    200,
    signedStatementResource,
  );
  expect(statementNow.statement.closingBalanceMinor).toBe('12500');
  // The period up to the effective instant, by effective time: the balance on "the 3rd" as known
  // now, with the correction recorded later; as known before it, nothing to add.
  const period = `from=2020-01-01T00:00:00Z&to=${encodeURIComponent(effectiveAt)}`;
  const effectiveNow = await expectBody(
    await admin.get(`/api/v1/accounts/${account.id}/statement?${period}`),
    200,
    signedStatementResource,
  );
  expect(effectiveNow.statement.closingBalanceMinor).toBe('10000');
  expect(effectiveNow.statement.effective).toMatchObject({
    openingBalanceMinor: '0',
    closingBalanceMinor: '12500',
    laterCorrections: [{ event: { eventId: corrected?.id }, amountDeltaMinor: '2500' }],
  });
  const effectiveThen = await expectBody(
    await admin.get(
      `/api/v1/accounts/${account.id}/statement?${period}&knownAt=${encodeURIComponent(beforeCorrection)}`,
    ),
    200,
    signedStatementResource,
  );
  expect(effectiveThen.statement.effective).toEqual({
    openingBalanceMinor: '0',
    closingBalanceMinor: '10000',
    laterCorrections: [],
  });
});

test('every kind a policy holds answers 202 with its request, and nothing moves', async ({
  playwright,
}) => {
  test.setTimeout(120_000);
  // A server whose policy holds transfers, reversals and captures above 100.00, and every freeze
  // and unfreeze; withdrawals are left out, so charges run at once.
  const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-policy-'));
  const policyFile = path.join(directory, 'policy.json');
  const above = { when: 'above_threshold', approvers: ['admin', 'support'] };
  const always = { when: 'always', approvers: ['admin'] };
  await writeFile(
    policyFile,
    JSON.stringify({
      defaultThreshold: '100',
      rules: {
        transfer: above,
        reverse_charge: above,
        capture_hold: above,
        freeze_account: always,
        unfreeze_account: always,
        record_correction: always,
      },
    }),
  );
  const server = await startOwnServer(E2E_OWN_SERVER_PORT, {
    CHRONICLE_APPROVAL_POLICY: policyFile,
  });
  let requests: APIRequestContext | undefined;
  try {
    requests = await playwright.request.newContext({ baseURL: server.url });
    const support = client(requests, await apiKeyFor('support'));
    const admin = client(requests, await apiKeyFor('admin'));
    const account = await openAccountViaApi(support, { initialBalance: '1000.00' });
    const other = await openAccountViaApi(support);
    const charged = await expectBody(
      await support.post(`/api/v1/accounts/${account.id}/withdrawals`, { amount: '500.00' }),
      201,
      movementResult,
    );
    const placed = await expectBody(
      await support.post(`/api/v1/accounts/${account.id}/holds`, {
        amount: '300.00',
        reason: 'Pre-auth',
      }),
      201,
      holdResult,
    );
    const events = await eventCount(account.id);

    const expectHeld = async (response: Awaited<ReturnType<typeof support.post>>, kind: string) => {
      const held = await expectBody(response, 202, approvalResource);
      expect(response.headers().location).toBe(`/api/v1/approvals/${held.id}`);
      expect(held).toMatchObject({ kind, status: 'pending' });
      expect(await eventCount(account.id)).toBe(events);
      return held;
    };
    await expectHeld(
      await support.post('/api/v1/transfers', {
        fromAccountId: account.id,
        toAccountId: other.id,
        amount: '200.00',
      }),
      'transfer',
    );
    await expectHeld(
      await support.post('/api/v1/reversals', {
        originalEventId: charged.events[0]?.id,
        amount: '200.00',
        reason: 'Refund',
      }),
      'reverse_charge',
    );
    await expectHeld(
      await support.post(`/api/v1/holds/${placed.hold.id}/captures`, { amount: '200.00' }),
      'capture_hold',
    );
    const freeze = await expectHeld(
      await admin.post(`/api/v1/accounts/${account.id}/freeze`, { reason: 'Fraud review' }),
      'freeze_account',
    );
    // Below the threshold nothing waits.
    await expectBody(
      await support.post('/api/v1/transfers', {
        fromAccountId: account.id,
        toAccountId: other.id,
        amount: '100.00',
      }),
      201,
      transferResult,
    );

    // Frozen once another admin approves; the unfreeze then waits in turn.
    const checker = await anotherPersonsClient(requests, 'admin');
    await expectBody(
      await checker.post(`/api/v1/approvals/${freeze.id}/approve`, {}),
      200,
      approvalDecisionResult,
    );
    const frozenEvents = await eventCount(account.id);
    const unfreeze = await expectBody(
      await admin.post(`/api/v1/accounts/${account.id}/unfreeze`, { reason: 'Cleared' }),
      202,
      approvalResource,
    );
    expect(unfreeze).toMatchObject({ kind: 'unfreeze_account', status: 'pending' });
    expect(await eventCount(account.id)).toBe(frozenEvents);
  } finally {
    await requests?.dispose();
    await server.stop();
  }
});
