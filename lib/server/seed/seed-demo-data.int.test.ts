// The demo data goes through the decider like any other history: it loads, its dispute cases are
// where the README says they are, and its streams verify.

import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { listDisputes } from '../disputes/read-disputes';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { DEMO_ACCOUNTS } from './demo-history';
import { seedDemoData } from './seed-demo-data';

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
  });
});
