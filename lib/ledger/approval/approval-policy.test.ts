import { describe, expect, it } from 'vitest';
import {
  APPROVALS_OFF,
  DEFAULT_APPROVAL_POLICY,
  approvalRequirement,
  mayNeedApproval,
  thresholdMinor,
} from './approval-policy';
import { isSamePerson, mailboxOf } from './approval-rules';

const held = (kind: string, amountMinor: bigint | null, currency = 'USD') =>
  approvalRequirement(DEFAULT_APPROVAL_POLICY, { kind, amountMinor, currency });

describe('the default approval policy', () => {
  it('holds money movements above 10,000.00 — not at exactly 10,000.00 — for admins or support', () => {
    for (const kind of ['withdraw', 'transfer', 'reverse_charge', 'capture_hold']) {
      expect(held(kind, 1_000_000n)).toBeNull();
      expect(held(kind, 1_000_001n)).toEqual({
        when: 'above_threshold',
        approvers: ['admin', 'support'],
      });
    }
  });

  it("reads the threshold in each currency's own minor units", () => {
    expect(thresholdMinor(DEFAULT_APPROVAL_POLICY, 'USD')).toBe(1_000_000n);
    expect(thresholdMinor(DEFAULT_APPROVAL_POLICY, 'JPY')).toBe(10_000n);
    expect(thresholdMinor(DEFAULT_APPROVAL_POLICY, 'BHD')).toBe(10_000_000n);
    expect(held('withdraw', 10_001n, 'JPY')).not.toBeNull();
    expect(held('withdraw', 10_000n, 'JPY')).toBeNull();
  });

  it('holds freezes, write-offs, corrections and admin grants always, for admins only', () => {
    for (const kind of [
      'freeze_account',
      'unfreeze_account',
      'write_off_shortfall',
      'record_correction',
      'grant_admin_role',
      'create_admin_api_key',
    ])
      expect(held(kind, null)).toEqual({ when: 'always', approvers: ['admin'] });
  });

  it('never holds what it does not name, and nothing at all when off', () => {
    expect(mayNeedApproval(DEFAULT_APPROVAL_POLICY, 'deposit')).toBe(false);
    expect(held('deposit', 10n ** 12n)).toBeNull();
    expect(
      approvalRequirement(APPROVALS_OFF, {
        kind: 'freeze_account',
        amountMinor: null,
        currency: '',
      }),
    ).toBeNull();
    expect(
      approvalRequirement(APPROVALS_OFF, {
        kind: 'withdraw',
        amountMinor: 10n ** 12n,
        currency: 'USD',
      }),
    ).toBeNull();
  });
});

describe('who counts as the same person', () => {
  it('is the same user, or a user whose email reaches the same mailbox', () => {
    const maker = { userId: 'u1', email: 'Alice@Example.com' };
    expect(isSamePerson(maker, { userId: 'u1', email: 'other@example.com' })).toBe(true);
    expect(isSamePerson(maker, { userId: 'u2', email: 'alice+checker@example.com' })).toBe(true);
    expect(isSamePerson(maker, { userId: 'u2', email: ' ALICE@example.com ' })).toBe(true);
    expect(isSamePerson(maker, { userId: 'u2', email: 'alice@example.org' })).toBe(false);
    expect(isSamePerson(maker, { userId: 'u2', email: 'bob@example.com' })).toBe(false);
  });

  it('never matches two people by an empty email', () => {
    expect(isSamePerson({ userId: 'a', email: '' }, { userId: 'b', email: '' })).toBe(false);
    expect(mailboxOf('x+y+z@Host.TLD')).toBe('x@host.tld');
  });
});
