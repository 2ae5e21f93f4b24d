// Every role against every protected endpoint: the permission matrix of the web app applies to
// API keys too. Allowed calls succeed; refused ones answer 403, write nothing and are logged.

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { can, ROLES } from '../../lib/auth/permissions';
import { getPool } from '../../lib/server/db/pool';
import { API, type ApiOperation } from '../../lib/server/http/api-contract';
import { freezeAccount } from '../../lib/server/commands/freeze-account';
import { requestFullVerification } from '../../lib/server/integrity/request-full-verification';
import {
  chargeAccount,
  createAccount,
  eventCount,
  placeTestHold,
  waitForCheckpoint,
} from '../support/ledger';
import { MAX_DENIALS_PER_WINDOW, MAX_RESOURCE_LENGTH } from '../../lib/server/auth/record-denial';
import {
  asClient,
  client,
  createTestApiKey,
  expectProblem,
  apiKeyFor,
  keyOwnerOf,
  type Client,
} from './support';
import { pendingWithdrawal } from '../support/approvals';
import {
  SAMPLE_PDF,
  lostDisputeWithShortfall,
  openTestDispute,
  uploadEvidence,
} from './dispute-support';
import { createTestUser } from '../support/ledger';
import { addDisputeNote } from '../../lib/server/disputes/add-dispute-note';

/** A role's client, and its multipart upload (which answers with the status alone). */
type RoleClient = Client & { upload(path: string): Promise<number> };

/** Prepares what an attempt needs, then makes the call. */
type Attempt = () => Promise<{ account?: string; call: (api: RoleClient) => Promise<number> }>;

async function addTestNote(disputeId: string): Promise<void> {
  await addDisputeNote({
    disputeId,
    input: { text: 'set-up note' },
    context: { actor: 'system:e2e', idempotencyKey: randomUUID() },
  });
}

const status = async (response: Promise<{ status(): number }>) => (await response).status();

const ATTEMPTS: Record<keyof typeof API, Attempt | null> = {
  createAccount: async () => ({
    call: (api) =>
      status(
        api.post('/api/v1/accounts', {
          ownerId: `cust_${randomUUID().slice(0, 6)}`,
          currency: 'USD',
        }),
      ),
  }),
  listAccounts: async () => ({ call: (api) => status(api.get('/api/v1/accounts?limit=1')) }),
  getAccount: async () => {
    const account = await createAccount();
    return { account, call: (api) => status(api.get(`/api/v1/accounts/${account}`)) };
  },
  listAccountEvents: async () => {
    const account = await createAccount();
    return { account, call: (api) => status(api.get(`/api/v1/accounts/${account}/events`)) };
  },
  deposit: async () => {
    const account = await createAccount();
    return {
      account,
      call: (api) => status(api.post(`/api/v1/accounts/${account}/deposits`, { amount: '1.00' })),
    };
  },
  withdraw: async () => {
    const account = await createAccount({ balance: '5.00' });
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/accounts/${account}/withdrawals`, { amount: '1.00' })),
    };
  },
  transfer: async () => {
    const account = await createAccount({ balance: '5.00' });
    const other = await createAccount();
    return {
      account,
      call: (api) =>
        status(
          api.post('/api/v1/transfers', {
            fromAccountId: account,
            toAccountId: other,
            amount: '1.00',
          }),
        ),
    };
  },
  reverse: async () => {
    const account = await createAccount({ balance: '5.00' });
    const charge = await chargeAccount(account, '2.00', 'ROLE-CHECK');
    return {
      account,
      call: (api) =>
        status(api.post('/api/v1/reversals', { originalEventId: charge, reason: 'role check' })),
    };
  },
  placeHold: async () => {
    const account = await createAccount({ balance: '5.00' });
    return {
      account,
      call: (api) =>
        status(
          api.post(`/api/v1/accounts/${account}/holds`, { amount: '1.00', reason: 'role check' }),
        ),
    };
  },
  listAccountHolds: async () => {
    const account = await createAccount({ balance: '5.00' });
    await placeTestHold(account, '1.00');
    return { account, call: (api) => status(api.get(`/api/v1/accounts/${account}/holds`)) };
  },
  getHold: async () => {
    const account = await createAccount({ balance: '5.00' });
    const hold = await placeTestHold(account, '1.00');
    return { account, call: (api) => status(api.get(`/api/v1/holds/${hold}`)) };
  },
  captureHold: async () => {
    const account = await createAccount({ balance: '5.00' });
    const hold = await placeTestHold(account, '2.00');
    return {
      account,
      call: (api) => status(api.post(`/api/v1/holds/${hold}/captures`, { amount: '1.00' })),
    };
  },
  releaseHold: async () => {
    const account = await createAccount({ balance: '5.00' });
    const hold = await placeTestHold(account, '2.00');
    return {
      account,
      call: (api) => status(api.post(`/api/v1/holds/${hold}/release`, { reason: 'role check' })),
    };
  },
  freeze: async () => {
    const account = await createAccount();
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/accounts/${account}/freeze`, { reason: 'role check' })),
    };
  },
  unfreeze: async () => {
    const account = await createAccount();
    await freezeAccount({
      accountId: account,
      input: { reason: 'setup' },
      context: { actor: 'system:e2e', idempotencyKey: randomUUID() },
    });
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/accounts/${account}/unfreeze`, { reason: 'role check' })),
    };
  },
  eventFeed: async () => ({ call: (api) => status(api.get('/api/v1/events?after=0&limit=1')) }),
  listAdminActions: async () => ({ call: (api) => status(api.get('/api/v1/admin-actions')) }),
  integrity: async () => ({ call: (api) => status(api.get('/api/v1/integrity')) }),
  requestFullVerification: async () => ({
    call: (api) => status(api.post('/api/v1/integrity/verifications', {})),
  }),
  getFullVerification: async () => {
    const run = await requestFullVerification({ requestedBy: 'system:e2e', db: getPool() });
    return { call: (api) => status(api.get(`/api/v1/integrity/verifications/${run.id}`)) };
  },
  eventProof: async () => {
    const account = await createAccount({ balance: '5.00' });
    const charge = await chargeAccount(account, '1.00', 'PROOF');
    return { account, call: (api) => status(api.get(`/api/v1/events/${charge}/proof`)) };
  },
  listCheckpoints: async () => ({ call: (api) => status(api.get('/api/v1/checkpoints?limit=1')) }),
  getCheckpoint: async () => {
    await waitForCheckpoint(1);
    return { call: (api) => status(api.get('/api/v1/checkpoints/1')) };
  },
  accountStatement: async () => {
    const account = await createAccount({ balance: '5.00' });
    return {
      account,
      call: (api) =>
        status(api.get(`/api/v1/accounts/${account}/statement?from=2020-01-01T00:00:00Z`)),
    };
  },
  openDispute: async () => {
    const account = await createAccount({ balance: '5.00' });
    const charge = await chargeAccount(account, '2.00', 'ROLE-CHECK');
    return {
      account,
      call: (api) =>
        status(
          api.post('/api/v1/disputes', {
            chargeEventId: charge,
            reasonCode: 'general',
            description: 'role check',
          }),
        ),
    };
  },
  listDisputes: async () => ({ call: (api) => status(api.get('/api/v1/disputes?limit=1')) }),
  getDispute: async () => {
    const { account, disputeId } = await openTestDispute();
    return { account, call: (api) => status(api.get(`/api/v1/disputes/${disputeId}`)) };
  },
  assignDispute: async () => {
    const { account, disputeId } = await openTestDispute();
    const assignee = await createTestUser('support');
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/disputes/${disputeId}/assign`, { assigneeId: assignee.id })),
    };
  },
  addDisputeNote: async () => {
    const { account, disputeId } = await openTestDispute();
    return {
      account,
      call: (api) => status(api.post(`/api/v1/disputes/${disputeId}/notes`, { text: 'role' })),
    };
  },
  addDisputeEvidence: async () => {
    const { account, disputeId } = await openTestDispute();
    return {
      account,
      // The upload is multipart: made with the same key the client holds, found by its role.
      call: (api) => api.upload(`/api/v1/disputes/${disputeId}/evidence`),
    };
  },
  submitDisputeEvidence: async () => {
    const { account, disputeId } = await openTestDispute();
    await addTestNote(disputeId);
    return {
      account,
      call: (api) => status(api.post(`/api/v1/disputes/${disputeId}/submit`, {})),
    };
  },
  giveProvisionalCredit: async () => {
    const { account, disputeId } = await openTestDispute();
    return {
      account,
      call: (api) => status(api.post(`/api/v1/disputes/${disputeId}/provisional-credit`, {})),
    };
  },
  resolveDispute: async () => {
    const { account, disputeId } = await openTestDispute();
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/disputes/${disputeId}/resolve`, { outcome: 'won', note: 'role' })),
    };
  },
  withdrawDispute: async () => {
    const { account, disputeId } = await openTestDispute();
    return {
      account,
      call: (api) => status(api.post(`/api/v1/disputes/${disputeId}/withdraw`, { note: 'role' })),
    };
  },
  writeOffDisputeShortfall: async () => {
    const { account, disputeId } = await lostDisputeWithShortfall();
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/disputes/${disputeId}/write-off`, { reason: 'role check' })),
    };
  },
  getDisputePackage: async () => {
    const { account, disputeId } = await openTestDispute();
    return { account, call: (api) => status(api.get(`/api/v1/disputes/${disputeId}/package`)) };
  },
  recordCorrection: async () => {
    const account = await createAccount({ balance: '5.00' });
    return {
      account,
      call: (api) =>
        status(
          api.post(`/api/v1/accounts/${account}/corrections`, {
            kind: 'deposit',
            amount: '1.00',
            effectiveAt: new Date().toISOString(),
            reason: 'role check',
          }),
        ),
    };
  },
  listApprovals: async () => ({
    call: (api) => status(api.get('/api/v1/approvals?status=pending&limit=1')),
  }),
  getApproval: async () => {
    const { account, approvalId } = await pendingWithdrawal(await createTestUser('support'));
    return { account, call: (api) => status(api.get(`/api/v1/approvals/${approvalId}`)) };
  },
  approveApproval: async () => {
    const { account, approvalId } = await pendingWithdrawal(await createTestUser('support'));
    return {
      account,
      call: (api) => status(api.post(`/api/v1/approvals/${approvalId}/approve`, {})),
    };
  },
  rejectApproval: async () => {
    const { account, approvalId } = await pendingWithdrawal(await createTestUser('support'));
    return {
      account,
      call: (api) =>
        status(api.post(`/api/v1/approvals/${approvalId}/reject`, { reason: 'role check' })),
    };
  },
  cancelApproval: async () => {
    // Made by the owner of the role keys: only the maker may cancel.
    const { account, approvalId } = await pendingWithdrawal(await keyOwnerOf());
    return {
      account,
      call: (api) => status(api.post(`/api/v1/approvals/${approvalId}/cancel`, {})),
    };
  },
  publicKey: null,
  openApi: null,
  health: null,
};

test('every role against every endpoint', async ({ request }) => {
  const outcomes: string[] = [];
  for (const [name, attempt] of Object.entries(ATTEMPTS) as Array<
    [keyof typeof API, Attempt | null]
  >) {
    const operation = API[name] as ApiOperation;
    if (!attempt || operation.permission === null) continue;
    for (const role of ROLES) {
      const { account, call } = await attempt();
      const before = account ? await eventCount(account) : 0;
      const key = await apiKeyFor(role);
      const answered = await call({
        ...(await asClient(request, role)),
        upload: async (path) =>
          (
            await uploadEvidence(request, key, path, {
              name: 'receipt.pdf',
              mimeType: 'application/pdf',
              buffer: SAMPLE_PDF,
            })
          ).status(),
      });
      outcomes.push(`${name} as ${role}: ${answered}`);
      if (can(role, operation.permission)) {
        expect(answered, `${name} as ${role}`).toBeGreaterThanOrEqual(200);
        expect(answered, `${name} as ${role}`).toBeLessThan(300);
      } else {
        expect(answered, `${name} as ${role}`).toBe(403);
        if (account)
          expect(await eventCount(account), `${name} as ${role} wrote nothing`).toBe(before);
      }
    }
  }
  const protectedOperations = Object.values(API).filter(
    (operation: ApiOperation) => operation.permission !== null,
  );
  expect(outcomes).toHaveLength(protectedOperations.length * ROLES.length);
});

test('a refused API call is answered 403 and logged with the key as the actor', async ({
  request,
}) => {
  // A key of its own: refusals are recorded one by one only up to a rate per key.
  const auditor = client(request, (await createTestApiKey('auditor', 'refused')).key);
  const account = await createAccount({ balance: '5.00' });
  const problem = await expectProblem(
    await auditor.post(`/api/v1/accounts/${account}/withdrawals`, { amount: '1.00' }),
    403,
    'forbidden',
  );
  expect(problem.detail).toMatch(/auditor/);
  const denial = await getPool().query(
    "SELECT actor, role, action, channel FROM access_denials WHERE channel = 'api' AND resource = $1",
    [`/api/v1/accounts/${account}/withdrawals`],
  );
  expect(denial.rows).toEqual([
    {
      actor: expect.stringMatching(/^api_key:/),
      role: 'auditor',
      action: 'funds:withdraw',
      channel: 'api',
    },
  ]);
});

test('a flood of refused calls with huge paths leaves a bounded trail', async ({ request }) => {
  const created = await createTestApiKey('auditor', 'flood');
  const auditor = client(request, created.key);
  const path = `/api/v1/accounts/${'a'.repeat(8_000)}/withdrawals`;
  for (let index = 0; index < 60; index += 1) {
    const response = await auditor.post(path, { amount: '1.00' });
    expect(response.status()).toBe(403);
  }
  const rows = await getPool().query<{ resource: string }>(
    'SELECT resource FROM access_denials WHERE actor = $1',
    [`api_key:${created.id}`],
  );
  expect(rows.rows.length).toBeLessThanOrEqual(MAX_DENIALS_PER_WINDOW);
  expect(rows.rows.length).toBeGreaterThan(0);
  for (const row of rows.rows) expect(row.resource.length).toBeLessThanOrEqual(MAX_RESOURCE_LENGTH);
});
