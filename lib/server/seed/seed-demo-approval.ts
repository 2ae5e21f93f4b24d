// Demo data for the Approvals inbox: Sam Support has asked to pay out 25,000.00 from the merchant
// settlement account, which the default policy holds for a second person. Made through the same
// use case the back office uses, once, and only when the policy in force holds it.

import { randomUUID } from 'node:crypto';
import { approvalRequirement } from '../../ledger/approval/approval-policy';
import { approvalPolicy } from '../approvals/approval-policy-config';
import { isApprovalRequested } from '../approvals/approval-requested';
import { withdrawFunds } from '../commands/withdraw-funds';
import type { Pool } from '../db/pool';
import { DEMO_ACCOUNTS } from './demo-history';

export const DEMO_PAYOUT = '25000.00';

/** True when it made the request now. */
export async function seedDemoApprovalRequest(options: {
  db: Pool;
  makerEmail: string;
}): Promise<boolean> {
  const { db } = options;
  const policy = approvalPolicy();
  const held = approvalRequirement(policy, {
    kind: 'withdraw',
    amountMinor: 2_500_000n,
    currency: 'USD',
  });
  if (!held) return false;
  const existing = await db.query('SELECT 1 FROM approval_requests LIMIT 1');
  if (existing.rowCount) return false;
  const maker = await db.query<{ id: string; email: string }>(
    'SELECT id::text AS id, email FROM users WHERE email = $1',
    [options.makerEmail],
  );
  const user = maker.rows[0];
  if (!user) return false;
  const actor = `user:${user.id}`;
  try {
    await withdrawFunds({
      accountId: DEMO_ACCOUNTS.merchant,
      input: {
        amount: DEMO_PAYOUT,
        destination: 'Wire — Northwind Market payout',
        reference: 'PAYOUT-Q4',
      },
      context: {
        actor,
        person: { actor, userId: user.id, email: user.email, role: 'support' },
        idempotencyKey: randomUUID(),
        db,
      },
    });
  } catch (error) {
    if (isApprovalRequested(error)) return true;
    throw error;
  }
  return false;
}
