// Four-eyes approvals against the real database: what the default policy holds, who may decide,
// that an approved command runs exactly once and names both people, the races (two checkers;
// a maker cancelling while a checker approves), and every path to approving one's own request.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../auth/permissions';
import { AppError } from '../../errors';
import type { Person } from '../../ledger/approval/approval-rules';
import { context, openTestAccount, refusalCode, tableCounts } from '../../../test/support';
import { authenticateApiKey } from '../api-keys/authenticate-api-key';
import { createApiKey } from '../api-keys/create-api-key';
import { freezeAccount } from '../commands/freeze-account';
import { transferFunds } from '../commands/transfer-funds';
import { withdrawFunds } from '../commands/withdraw-funds';
import { recordCorrection } from '../commands/record-correction';
import { placeHold } from '../commands/place-hold';
import { captureHold } from '../commands/capture-hold';
import { getPool } from '../db/pool';
import { getAccount } from '../queries/get-account';
import { runAlone } from '../pipeline/run-commands';
import { createUser } from '../users/create-user';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { isApprovalRequested, type ApprovalRequested } from './approval-requested';
import { approveRequest } from './approve-request';
import { cancelRequest } from './cancel-request';
import { countPendingApprovals, getApproval, listApprovals } from './read-approvals';
import { rejectRequest } from './reject-request';
import { holdAdminApiKey, holdAdminRoleGrant } from './request-administrative-action';
import { displayPrefix, generateApiKey, hashApiKey } from '../api-keys/api-key-secret';

let previousPolicy: string | undefined;
beforeAll(() => {
  previousPolicy = process.env.CHRONICLE_APPROVAL_POLICY;
  process.env.CHRONICLE_APPROVAL_POLICY = 'default';
});
afterAll(() => {
  process.env.CHRONICLE_APPROVAL_POLICY = previousPolicy;
});

async function person(role: Role, email = `${role}-${randomUUID().slice(0, 8)}@example.com`) {
  const user = await createUser({
    input: { email, name: email, role, password: 'a long enough password' },
    actor: 'system:test',
  });
  const actor = `user:${user.id}`;
  return { actor, userId: user.id, email: user.email, role } satisfies Person;
}

function as(who: Person, idempotencyKey: string = randomUUID()) {
  return context({ actor: who.actor, person: who, idempotencyKey });
}

async function held(work: Promise<unknown>): Promise<ApprovalRequested> {
  try {
    await work;
  } catch (error) {
    if (isApprovalRequested(error)) return error;
    throw error;
  }
  throw new Error('the command ran instead of waiting for approval');
}

async function balanceOf(accountId: string) {
  return (await getAccount({ accountId }))?.balanceMinor;
}

describe('what the default policy holds', () => {
  it('runs a withdrawal of exactly 10,000.00 at once and holds one cent more', async () => {
    const maker = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    await withdrawFunds({ accountId, input: { amount: '10000.00' }, context: as(maker) });
    expect(await balanceOf(accountId)).toBe(4_000_000n);

    const before = await tableCounts();
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '10000.01' }, context: as(maker) }),
    );
    expect(request.approval).toMatchObject({
      kind: 'withdraw',
      status: 'pending',
      amountMinor: 1_000_001n,
      currency: 'USD',
      maker: { userId: maker.userId },
      approverRoles: ['admin', 'support'],
      summary: `Withdraw 10,000.01 USD from ${accountId}`,
      preview: [
        {
          accountId,
          balanceBeforeMinor: '4000000',
          balanceAfterMinor: '2999999',
          statusBefore: 'active',
          statusAfter: 'active',
        },
      ],
    });
    // Nothing moved: only the request's own event and row were written.
    expect(await balanceOf(accountId)).toBe(4_000_000n);
    const after = await tableCounts();
    expect(after.events).toBe((before.events ?? 0) + 1);
    expect(after.idempotency_keys).toBe((before.idempotency_keys ?? 0) + 1);
    expect(after.approval_requests).toBe((before.approval_requests ?? 0) + 1);
  });

  it('holds a JPY transfer by its own minor units, and every freeze whatever the amount', async () => {
    const maker = await person('admin');
    const from = await openTestAccount({ currency: 'JPY', balance: '20000' });
    const to = await openTestAccount({ currency: 'JPY' });
    const transfer = await held(
      transferFunds({
        input: { fromAccountId: from, toAccountId: to, amount: '10001' },
        context: as(maker),
      }),
    );
    expect(transfer.approval.amountMinor).toBe(10_001n);
    expect(transfer.approval.preview.map((line) => line.accountId)).toEqual([from, to]);
    const freeze = await held(
      freezeAccount({ accountId: to, input: { reason: 'KYC review' }, context: as(maker) }),
    );
    expect(freeze.approval).toMatchObject({ kind: 'freeze_account', approverRoles: ['admin'] });
    expect((await getAccount({ accountId: to }))?.frozen).toBe(false);
  });

  it('refuses at once what the rules would refuse now, instead of queueing it', async () => {
    const maker = await person('support');
    const accountId = await openTestAccount({ balance: '100.00' });
    const before = await tableCounts();
    expect(
      await refusalCode(
        withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker) }),
      ),
    ).toBe('insufficient_funds');
    expect(await tableCounts()).toEqual(before);
  });

  it('answers a retried submission with the same request, and a changed one with a conflict', async () => {
    const maker = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    const key = randomUUID();
    const first = await held(
      withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker, key) }),
    );
    const again = await held(
      withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker, key) }),
    );
    expect(again.approval.id).toBe(first.approval.id);
    expect(again.replayed).toBe(true);
    expect(
      await refusalCode(
        withdrawFunds({ accountId, input: { amount: '20000.50' }, context: as(maker, key) }),
      ),
    ).toBe('idempotency_key_reused');
    expect(
      (await listApprovals({ status: 'pending', limit: 100 })).filter(
        (a) => a.subject === accountId,
      ),
    ).toHaveLength(1);
  });
});

describe('deciding a request', () => {
  it('runs the command once on approval, with both people on its events', async () => {
    const maker = await person('support');
    const checker = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    const request = await held(
      withdrawFunds({
        accountId,
        input: { amount: '12000.00', reference: 'payout-9' },
        context: as(maker),
      }),
    );
    const pendingBefore = await countPendingApprovals();
    const result = await approveRequest({
      approvalId: request.approval.id,
      checker,
      context: as(checker),
    });
    expect(result.approvals[0]).toMatchObject({
      status: 'approved',
      decidedBy: { userId: checker.userId },
    });
    expect(await balanceOf(accountId)).toBe(3_800_000n);
    expect(await countPendingApprovals()).toBe(pendingBefore - 1);
    const withdrawn = result.events.find((event) => event.type === 'funds_withdrawn');
    expect(withdrawn?.metadata).toMatchObject({
      actor: maker.actor,
      approvedBy: checker.actor,
      approvalId: request.approval.id,
    });
    expect(result.events.find((event) => event.type === 'approval_granted')?.metadata.actor).toBe(
      checker.actor,
    );
    // Approving again is refused, and the money moved once.
    expect(
      await refusalCode(
        approveRequest({ approvalId: request.approval.id, checker, context: as(checker) }),
      ),
    ).toBe('approval_not_pending');
    expect(await balanceOf(accountId)).toBe(3_800_000n);
    expect((await verifyIntegrity(getPool(), { streamId: `account-${accountId}` })).ok).toBe(true);
    expect(
      (await verifyIntegrity(getPool(), { streamId: `approval-${request.approval.id}` })).ok,
    ).toBe(true);
  });

  it('refuses an approval the rules refuse now, and keeps the request pending', async () => {
    const maker = await person('support');
    const checker = await person('admin');
    const accountId = await openTestAccount({ balance: '15000.00' });
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '12000.00' }, context: as(maker) }),
    );
    await withdrawFunds({ accountId, input: { amount: '5000.00' }, context: as(maker) });
    expect(
      await refusalCode(
        approveRequest({ approvalId: request.approval.id, checker, context: as(checker) }),
      ),
    ).toBe('insufficient_funds');
    expect((await getApproval(request.approval.id))?.status).toBe('pending');
    expect(await balanceOf(accountId)).toBe(1_000_000n);
  });

  it('lets only the roles the request names decide it', async () => {
    const maker = await person('admin');
    const support = await person('support');
    const accountId = await openTestAccount();
    const request = await held(
      freezeAccount({ accountId, input: { reason: 'Suspected fraud' }, context: as(maker) }),
    );
    expect(
      await refusalCode(
        approveRequest({ approvalId: request.approval.id, checker: support, context: as(support) }),
      ),
    ).toBe('forbidden');
    const admin = await person('admin');
    await approveRequest({ approvalId: request.approval.id, checker: admin, context: as(admin) });
    expect((await getAccount({ accountId }))?.frozen).toBe(true);
  });

  it('rejects with a reason, after which nothing can approve it', async () => {
    const maker = await person('support');
    const checker = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '30000.00' }, context: as(maker) }),
    );
    expect(
      await refusalCode(
        rejectRequest({
          approvalId: request.approval.id,
          checker,
          reason: ' ',
          context: as(checker),
        }),
      ),
    ).toBe('validation_error');
    const rejected = await rejectRequest({
      approvalId: request.approval.id,
      checker,
      reason: 'Customer did not confirm',
      context: as(checker),
    });
    expect(rejected.approvals[0]).toMatchObject({
      status: 'rejected',
      reason: 'Customer did not confirm',
    });
    const other = await person('admin');
    expect(
      await refusalCode(
        approveRequest({ approvalId: request.approval.id, checker: other, context: as(other) }),
      ),
    ).toBe('approval_not_pending');
    expect(await balanceOf(accountId)).toBe(5_000_000n);
  });

  it('lets only the maker cancel', async () => {
    const maker = await person('support');
    const other = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '30000.00' }, context: as(maker) }),
    );
    expect(
      await refusalCode(
        cancelRequest({ approvalId: request.approval.id, by: other, context: as(other) }),
      ),
    ).toBe('forbidden');
    const cancelled = await cancelRequest({
      approvalId: request.approval.id,
      by: maker,
      context: as(maker),
    });
    expect(cancelled.approvals[0]?.status).toBe('cancelled');
  });

  it('expires a request nobody decided in time', async () => {
    const maker = await person('support');
    const checker = await person('support');
    const now = (await getPool().query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]
      ?.now as Date;
    const approvalId = randomUUID();
    await runAlone({
      command: {
        type: 'request_approval',
        approvalId,
        kind: 'withdraw',
        command: {
          type: 'withdraw',
          accountId: 'nowhere',
          amount: '1.00',
          destination: '',
          reference: '',
        },
        fingerprint: 'f',
        subject: 'nowhere',
        amountMinor: 100n,
        currency: 'USD',
        summary: 'Withdraw 1.00 USD from nowhere',
        preview: [],
        maker,
        approverRoles: ['support'],
        expiresAt: new Date(now.getTime() + 1_500),
      },
      context: as(maker),
      claim: null,
      correlationId: randomUUID(),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect((await getApproval(approvalId))?.status).toBe('expired');
    expect((await listApprovals({ status: 'expired', limit: 100 })).map((a) => a.id)).toContain(
      approvalId,
    );
    expect(await refusalCode(approveRequest({ approvalId, checker, context: as(checker) }))).toBe(
      'approval_not_pending',
    );
  });
});

describe('no one approves their own request', () => {
  it('refuses the maker directly, through their own API key, and under a second user with the same mailbox', async () => {
    const maker = await person('admin', `maker-${randomUUID().slice(0, 6)}@example.com`);
    const accountId = await openTestAccount({ balance: '50000.00' });
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker) }),
    );
    const approvalId = request.approval.id;
    expect(
      await refusalCode(approveRequest({ approvalId, checker: maker, context: as(maker) })),
    ).toBe('self_approval_forbidden');

    const key = await createApiKey({
      input: { name: 'maker key', role: 'admin' },
      ownerId: maker.userId,
      actor: maker.actor,
    });
    const caller = await authenticateApiKey(`Bearer ${key.key}`);
    expect(caller?.person?.userId).toBe(maker.userId);
    expect(
      await refusalCode(
        approveRequest({
          approvalId,
          checker: caller?.person as Person,
          context: as(caller?.person as Person),
        }),
      ),
    ).toBe('self_approval_forbidden');

    const [local, domain] = maker.email.split('@');
    const twin = await person('admin', `${local}+second@${domain}`);
    expect(
      await refusalCode(approveRequest({ approvalId, checker: twin, context: as(twin) })),
    ).toBe('self_approval_forbidden');
    expect(
      await refusalCode(
        rejectRequest({ approvalId, checker: twin, reason: 'no', context: as(twin) }),
      ),
    ).toBe('self_approval_forbidden');
    expect((await getApproval(approvalId))?.status).toBe('pending');
    expect(await balanceOf(accountId)).toBe(5_000_000n);
  });
});

describe('races', () => {
  it('runs the command once when two checkers approve at the same moment', async () => {
    const maker = await person('support');
    const [first, second] = [await person('support'), await person('admin')];
    const accountId = await openTestAccount({ balance: '50000.00' });
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker) }),
    );
    const results = await Promise.allSettled(
      [first, second].map((checker) =>
        approveRequest({ approvalId: request.approval.id, checker, context: as(checker) }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('approval_not_pending');
    expect(await balanceOf(accountId)).toBe(3_000_000n);
  });

  it('ends with exactly one outcome when the maker cancels while a checker approves', async () => {
    const maker = await person('support');
    const checker = await person('support');
    for (let round = 0; round < 3; round += 1) {
      const accountId = await openTestAccount({ balance: '50000.00' });
      const request = await held(
        withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker) }),
      );
      const [approved, cancelled] = await Promise.allSettled([
        approveRequest({ approvalId: request.approval.id, checker, context: as(checker) }),
        cancelRequest({ approvalId: request.approval.id, by: maker, context: as(maker) }),
      ]);
      expect([approved.status, cancelled.status].sort()).toEqual(['fulfilled', 'rejected']);
      const status = (await getApproval(request.approval.id))?.status;
      expect(await balanceOf(accountId)).toBe(status === 'approved' ? 3_000_000n : 5_000_000n);
      expect(status).toBe(approved.status === 'fulfilled' ? 'approved' : 'cancelled');
    }
  });
});

describe('administrative actions', () => {
  it('makes a user admin only once another admin approves', async () => {
    const maker = await person('admin');
    const checker = await person('admin');
    const target = await person('support');
    const request = await held(
      holdAdminRoleGrant(
        { type: 'grant_admin_role', userId: target.userId, email: target.email },
        { maker, idempotencyKey: randomUUID() },
      ),
    );
    const role = async () =>
      (
        await getPool().query<{ role: string }>(
          'SELECT role::text AS role FROM users WHERE id = $1',
          [target.userId],
        )
      ).rows[0]?.role;
    expect(await role()).toBe('support');
    await approveRequest({ approvalId: request.approval.id, checker, context: as(checker) });
    expect(await role()).toBe('admin');
    const trail = await getPool().query<{ actor: string; after: { approvedBy?: string } }>(
      `SELECT metadata->>'actor' AS actor, data->'after' AS after FROM events
        WHERE type = 'user_role_changed' AND data->'subject'->>'id' = $1`,
      [target.userId],
    );
    expect(trail.rows[0]).toMatchObject({
      actor: maker.actor,
      after: { approvedBy: checker.actor },
    });
  });

  it('stores an admin API key only once another admin approves it; the key was shown to its maker at once', async () => {
    const maker = await person('admin');
    const checker = await person('admin');
    const secret = generateApiKey();
    const request = await held(
      holdAdminApiKey(
        {
          type: 'create_admin_api_key',
          name: 'treasury robot',
          keyHash: hashApiKey(secret),
          prefix: displayPrefix(secret),
          ownerId: maker.userId,
          expiresAt: null,
        },
        { maker, idempotencyKey: randomUUID() },
      ),
    );
    expect(await authenticateApiKey(`Bearer ${secret}`)).toBeNull();
    // The maker's own other key is the maker: it cannot approve.
    expect(
      await refusalCode(
        approveRequest({ approvalId: request.approval.id, checker: maker, context: as(maker) }),
      ),
    ).toBe('self_approval_forbidden');
    await approveRequest({ approvalId: request.approval.id, checker, context: as(checker) });
    const caller = await authenticateApiKey(`Bearer ${secret}`);
    expect(caller).toMatchObject({ role: 'admin', person: { userId: maker.userId } });
  });
});

describe('what the review found', () => {
  it('records an approved correcting withdrawal, with its check of history', async () => {
    const maker = await person('admin');
    const checker = await person('admin');
    const accountId = await openTestAccount({ balance: '100.00' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // By the database's clock, which dates the account's events.
    const effectiveAt = (
      await getPool().query<{ now: Date }>(
        "SELECT date_trunc('milliseconds', clock_timestamp()) AS now",
      )
    ).rows[0]?.now as Date;
    const request = await held(
      recordCorrection({
        accountId,
        input: {
          kind: 'withdrawal',
          amount: '40.00',
          effectiveAt,
          reason: 'Fee that should have been charged',
        },
        context: as(maker),
      }),
    );
    await approveRequest({ approvalId: request.approval.id, checker, context: as(checker) });
    expect(await balanceOf(accountId)).toBe(6_000n);
  });

  it('checks If-Match when the request is made', async () => {
    const maker = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    const input = { amount: '20000.00' };
    expect(
      await refusalCode(
        withdrawFunds({ accountId, input, context: { ...as(maker), expectedVersion: 1 } }),
      ),
    ).toBe('concurrency_conflict');
    const request = await held(
      withdrawFunds({ accountId, input, context: { ...as(maker), expectedVersion: 2 } }),
    );
    expect(request.approval.status).toBe('pending');
  });

  it('holds a large capture like a large withdrawal', async () => {
    const maker = await person('support');
    const accountId = await openTestAccount({ balance: '50000.00' });
    const placed = await placeHold({
      accountId,
      input: { amount: '20000.00', reason: 'Wire pending' },
      context: as(maker),
    });
    const holdId = placed.holds[0]?.id as string;
    const request = await held(captureHold({ holdId, input: {}, context: as(maker) }));
    expect(request.approval).toMatchObject({ kind: 'capture_hold', amountMinor: 2_000_000n });
  });

  it('refuses a checker whose account the maker created, and a request whose maker was disabled', async () => {
    const maker = await person('admin');
    const puppet = await createUser({
      input: {
        email: `puppet-${randomUUID().slice(0, 6)}@example.com`,
        name: 'Puppet',
        role: 'support',
        password: 'a long enough password',
      },
      actor: maker.actor,
    });
    const puppetPerson = {
      actor: `user:${puppet.id}`,
      userId: puppet.id,
      email: puppet.email,
      role: 'support' as const,
    };
    const accountId = await openTestAccount({ balance: '50000.00' });
    const request = await held(
      withdrawFunds({ accountId, input: { amount: '20000.00' }, context: as(maker) }),
    );
    expect(
      await refusalCode(
        approveRequest({
          approvalId: request.approval.id,
          checker: puppetPerson,
          context: as(puppetPerson),
        }),
      ),
    ).toBe('self_approval_forbidden');

    await getPool().query('UPDATE users SET disabled_at = now() WHERE id = $1', [maker.userId]);
    const checker = await person('support');
    expect(
      await refusalCode(
        approveRequest({ approvalId: request.approval.id, checker, context: as(checker) }),
      ),
    ).toBe('forbidden');
    await rejectRequest({
      approvalId: request.approval.id,
      checker,
      reason: 'Maker left',
      context: as(checker),
    });
    expect(await balanceOf(accountId)).toBe(5_000_000n);
  });
});
