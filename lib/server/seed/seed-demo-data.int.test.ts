// The demo data goes through the decider like any other history: it loads, its dispute cases are
// where the README says they are, and its streams verify.

import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { listDisputes } from '../disputes/read-disputes';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { DEMO_ACCOUNTS } from './demo-history';
import { seedDemoData } from './seed-demo-data';
import { seedDemoApprovalRequest } from './seed-demo-approval';
import { getAccountAt } from '../queries/get-account-at';
import { listApprovals } from '../approvals/read-approvals';
import { createUser } from '../users/create-user';

describe('the demo data', () => {
  it('loads once, with a won case for Alice and an overdue, unowned one for Bob', async () => {
    const summary = await seedDemoData({ now: new Date(), busyEvents: 50 });
    expect(summary).not.toBeNull();
    expect(await seedDemoData({ now: new Date(), busyEvents: 50 })).toBeNull();

    const alice = await listDisputes({ accountId: DEMO_ACCOUNTS.alice, sort: 'newest', limit: 10 });
    expect(alice.items).toEqual([
      expect.objectContaining({
        status: 'won',
        amountMinor: 34_999n,
        provisionalCreditMinor: 10_000n,
        refundedMinor: 24_999n,
      }),
    ]);
    const bob = await listDisputes({ accountId: DEMO_ACCOUNTS.bob, sort: 'newest', limit: 10 });
    expect(bob.items).toEqual([
      expect.objectContaining({
        status: 'open',
        reasonCode: 'duplicate',
        assigneeId: null,
        overdue: true,
      }),
    ]);
    for (const accountId of [DEMO_ACCOUNTS.alice, DEMO_ACCOUNTS.bob])
      expect((await verifyIntegrity(getPool(), { streamId: `account-${accountId}` })).ok).toBe(
        true,
      );

    // Bob's short payroll, corrected three weeks later: as known now the payday shows it; as
    // Chronicle showed it on the payday (and until the correction), it does not.
    const correction = await getPool().query<{ effective_at: Date; recorded_at: Date }>(
      'SELECT effective_at, recorded_at FROM balance_corrections WHERE account_id = $1',
      [DEMO_ACCOUNTS.bob],
    );
    const { effective_at: payday, recorded_at: corrected } = correction.rows[0] as {
      effective_at: Date;
      recorded_at: Date;
    };
    const now = await getAccountAt({ accountId: DEMO_ACCOUNTS.bob, at: payday });
    const then = await getAccountAt({ accountId: DEMO_ACCOUNTS.bob, at: payday, knownAt: payday });
    expect((now?.account.balanceMinor ?? 0n) - (then?.account.balanceMinor ?? 0n)).toBe(15_000n);
    expect(corrected.getTime() - payday.getTime()).toBe(21 * 86_400_000);
  });

  it('puts a payout in the Approvals inbox once, made by the support user', async () => {
    const previous = process.env.CHRONICLE_APPROVAL_POLICY;
    process.env.CHRONICLE_APPROVAL_POLICY = 'default';
    try {
      await seedDemoData({ now: new Date(), busyEvents: 50 });
      const sam = await createUser({
        input: {
          email: 'sam@example.com',
          name: 'Sam',
          role: 'support',
          password: 'a long enough password',
        },
        actor: 'system:test',
      });
      const db = getPool();
      expect(await seedDemoApprovalRequest({ db, makerEmail: sam.email })).toBe(true);
      expect(await seedDemoApprovalRequest({ db, makerEmail: sam.email })).toBe(false);
      const [pending] = await listApprovals({ status: 'pending', limit: 10 });
      expect(pending).toMatchObject({
        kind: 'withdraw',
        amountMinor: 2_500_000n,
        maker: { userId: sam.id },
      });
    } finally {
      process.env.CHRONICLE_APPROVAL_POLICY = previous;
    }
  });
});
