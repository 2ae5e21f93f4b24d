import { describe, expect, it } from 'vitest';
import {
  APPROVALS_OFF,
  DEFAULT_APPROVAL_POLICY,
  approvalRequirement,
  belowEveryThreshold,
  mayNeedApproval,
  thresholdMinor,
} from './approval-policy';
import { isSamePerson, mailboxOf } from './approval-rules';
import { CURRENCY_CODES } from '../currencies';
import { parseAmount } from '../money';

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

describe('the fast path: amounts below every threshold', () => {
  it('answers "no approval" only where the full check would, in every currency', () => {
    const amounts = [
      '1.00',
      '0.5',
      '10000',
      '10000.00',
      '10000.001',
      '10000.01',
      '9999.999',
      '10001',
      '1',
      '0.001',
    ];
    for (const amount of amounts) {
      const fast = belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'transfer', amount);
      for (const currency of CURRENCY_CODES) {
        let minor: bigint;
        try {
          minor = parseAmount(amount, currency);
        } catch {
          continue; // refused by validation in this currency, approval or not
        }
        if (fast) expect(held('transfer', minor, currency), `${amount} ${currency}`).toBeNull();
      }
    }
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'withdraw', '1.00')).toBe(true);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'withdraw', '10000')).toBe(true);
    // Above 10,000 in some currency (all of them, here): the gate must look.
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'withdraw', '10000.01')).toBe(false);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'withdraw', '10001')).toBe(false);
  });

  it('looks whenever the amount is absent, not a plain decimal, or the rule holds always', () => {
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'capture_hold', undefined)).toBe(false);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'withdraw', '1e3')).toBe(false);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'withdraw', 5)).toBe(false);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'freeze_account', undefined)).toBe(false);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'record_correction', '1.00')).toBe(false);
    expect(belowEveryThreshold(DEFAULT_APPROVAL_POLICY, 'deposit', '1000000')).toBe(true);
  });

  it('follows a policy with a lower threshold of its own in one currency', () => {
    const policy = { ...DEFAULT_APPROVAL_POLICY, thresholds: { JPY: '500' } };
    expect(belowEveryThreshold(policy, 'transfer', '500')).toBe(true);
    expect(belowEveryThreshold(policy, 'transfer', '501')).toBe(false);
  });
});
