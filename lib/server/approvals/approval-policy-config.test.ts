import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { approvalRequirement } from '../../ledger/approval/approval-policy';
import { describeApprovalPolicy, parseApprovalPolicy } from './approval-policy-config';

function refusal(text: string): string {
  try {
    parseApprovalPolicy(text, 'policy.json');
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('a policy file', () => {
  it('sets thresholds per currency, approvers per kind and the expiry; kinds left out never wait', () => {
    const policy = parseApprovalPolicy(
      JSON.stringify({
        requestsExpireAfterHours: 24,
        defaultThreshold: '5000',
        thresholds: { JPY: '700000' },
        rules: {
          transfer: { when: 'above_threshold', approvers: ['admin'] },
          freeze_account: { when: 'always', approvers: ['admin'] },
          record_correction: { when: 'always', approvers: ['admin'] },
        },
      }),
      'policy.json',
    );
    expect(policy.requestTtlMs).toBe(24 * 3_600_000);
    const requirement = (kind: string, amountMinor: bigint | null, currency = 'USD') =>
      approvalRequirement(policy, { kind, amountMinor, currency });
    expect(requirement('transfer', 500_001n)).toEqual({
      when: 'above_threshold',
      approvers: ['admin'],
    });
    expect(requirement('transfer', 500_000n)).toBeNull();
    expect(requirement('transfer', 700_001n, 'JPY')).not.toBeNull();
    expect(requirement('transfer', 700_000n, 'JPY')).toBeNull();
    expect(requirement('withdraw', 10n ** 12n)).toBeNull();
    expect(requirement('freeze_account', null)).not.toBeNull();
    expect(describeApprovalPolicy(policy)).toContain('policy.json policy');
  });

  it('is refused, saying where, when it is not what Chronicle can apply', () => {
    expect(refusal('{')).toBe('policy.json is not JSON.');
    expect(
      refusal(JSON.stringify({ rules: { wire: { when: 'always', approvers: ['admin'] } } })),
    ).toMatch(/^policy\.json: rules/);
    expect(
      refusal(JSON.stringify({ rules: { withdraw: { when: 'always', approvers: [] } } })),
    ).toMatch(/rules\.withdraw\.approvers/);
    expect(
      refusal(JSON.stringify({ rules: { withdraw: { when: 'always', approvers: ['boss'] } } })),
    ).toMatch(/approvers/);
    const corrections = { record_correction: { when: 'always', approvers: ['admin'] } };
    expect(refusal(JSON.stringify({ rules: corrections, thresholds: { JPY: '1.5' } }))).toBe(
      'policy.json: thresholds.JPY has more decimals than JPY has.',
    );
    expect(refusal(JSON.stringify({ rules: corrections, surprise: true }))).toMatch(/policy\.json/);
    // Backdated corrections never go without a second person while approvals are on.
    for (const rules of [
      {},
      { record_correction: { when: 'above_threshold', approvers: ['admin'] } },
    ])
      expect(refusal(JSON.stringify({ rules }))).toMatch(
        /^policy\.json: rules\.record_correction: backdated corrections always need a second person/,
      );
  });
});
