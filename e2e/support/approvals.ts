// Fixtures for the approval tests: a pending request made by a given person, straight through the
// use case (as the back office or the API would make it).

import { randomUUID } from 'node:crypto';
import type { Person } from '../../lib/ledger/approval/approval-rules';
import { isApprovalRequested } from '../../lib/server/approvals/approval-requested';
import { approveRequest } from '../../lib/server/approvals/approve-request';
import { recordCorrection } from '../../lib/server/commands/record-correction';
import { withdrawFunds } from '../../lib/server/commands/withdraw-funds';
import { createAccount, type TestUser } from './ledger';

/** The approval tests' large amount: above the e2e policy's threshold of 1,000,000.00. */
export const LARGE_AMOUNT = '1500000.00';

export function personOf(user: TestUser): Person {
  return { actor: `user:${user.id}`, userId: user.id, email: user.email, role: user.role };
}

/** An account holding 2,000,000.00 and a pending request by `maker` to withdraw 1,500,000.00. */
export async function pendingWithdrawal(
  maker: TestUser,
): Promise<{ account: string; approvalId: string }> {
  const account = await createAccount({ balance: '2000000.00' });
  try {
    await withdrawFunds({
      accountId: account,
      input: { amount: LARGE_AMOUNT, reference: 'e2e-approval' },
      context: { actor: `user:${maker.id}`, person: personOf(maker), idempotencyKey: randomUUID() },
    });
  } catch (error) {
    if (isApprovalRequested(error)) return { account, approvalId: error.approval.id };
    throw error;
  }
  throw new Error('the withdrawal ran instead of waiting for approval');
}

/**
 * A backdated deposit on `account`, effective at `effectiveAt`, requested by `maker` and approved
 * by `checker` (corrections always wait for a second admin). Returns the correction's event id.
 */
export async function approvedCorrection(options: {
  account: string;
  amount: string;
  effectiveAt: Date;
  reason: string;
  maker: TestUser;
  checker: TestUser;
}): Promise<string> {
  const context = (user: TestUser) => ({
    actor: `user:${user.id}`,
    person: personOf(user),
    idempotencyKey: randomUUID(),
  });
  let approvalId: string;
  try {
    await recordCorrection({
      accountId: options.account,
      input: {
        kind: 'deposit',
        amount: options.amount,
        effectiveAt: options.effectiveAt,
        reason: options.reason,
      },
      context: context(options.maker),
    });
    throw new Error('the correction ran instead of waiting for approval');
  } catch (error) {
    if (!isApprovalRequested(error)) throw error;
    approvalId = error.approval.id;
  }
  const approved = await approveRequest({
    approvalId,
    checker: personOf(options.checker),
    context: context(options.checker),
  });
  const corrected = approved.events.find((event) => event.type === 'balance_corrected');
  if (!corrected) throw new Error('the approved correction recorded no balance_corrected event');
  return corrected.eventId;
}
