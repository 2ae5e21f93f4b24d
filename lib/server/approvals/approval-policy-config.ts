// The approval policy in force: CHRONICLE_APPROVAL_POLICY names a JSON file, or says `off`
// (no approvals at all) or `default` (the same as unset: the domain's default policy). The file
// is read once per value and checked strictly; a bad file stops the server with a message that
// says what to fix rather than silently running without four eyes.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROLES } from '../../auth/permissions';
import { AppError } from '../../errors';
import {
  APPROVALS_OFF,
  DEFAULT_APPROVAL_POLICY,
  thresholdMinor,
  type ApprovalPolicy,
} from '../../ledger/approval/approval-policy';
import { APPROVAL_KINDS } from '../../ledger/approval/approval-rules';
import { isCurrencyCode } from '../../ledger/currencies';

const ruleSchema = z.strictObject({
  when: z.enum(['always', 'above_threshold']),
  approvers: z.array(z.enum(ROLES)).min(1),
});

const policyFileSchema = z.strictObject({
  requestsExpireAfterHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  defaultThreshold: z
    .string()
    .regex(/^\d{1,12}$/, 'whole major units, such as "10000"')
    .default('10000'),
  thresholds: z
    .partialRecord(
      z.string().refine(isCurrencyCode, 'an ISO 4217 currency code'),
      z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'a decimal amount, such as "1500000"'),
    )
    .default({}),
  /**
   * Kinds left out never need approval — except backdated corrections, which change what history
   * says and always need a second person while approvals are on (`off` turns them all off).
   */
  rules: z
    .partialRecord(z.enum(APPROVAL_KINDS), ruleSchema)
    .refine((rules) => rules.record_correction?.when === 'always', {
      message:
        'backdated corrections always need a second person: give record_correction { "when": "always", "approvers": [...] }',
      path: ['record_correction'],
    }),
});

/** Parses a policy file's text; throws a typed error naming the first problem. */
export function parseApprovalPolicy(text: string, source: string): ApprovalPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('validation_error', `${source} is not JSON.`);
  }
  const parsed = policyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'validation_error',
      `${source}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const policy: ApprovalPolicy = {
    source,
    enabled: true,
    requestTtlMs: parsed.data.requestsExpireAfterHours * 3_600_000,
    defaultThresholdMajor: BigInt(parsed.data.defaultThreshold),
    thresholds: parsed.data.thresholds as Record<string, string>,
    rules: parsed.data.rules,
  };
  // Each threshold must fit its currency's minor units (no 0.5 JPY).
  for (const currency of Object.keys(policy.thresholds)) {
    try {
      thresholdMinor(policy, currency);
    } catch {
      throw new AppError(
        'validation_error',
        `${source}: thresholds.${currency} has more decimals than ${currency} has.`,
      );
    }
  }
  return policy;
}

const cache = new Map<string, ApprovalPolicy>();

/** The policy CHRONICLE_APPROVAL_POLICY selects now. */
export function approvalPolicy(): ApprovalPolicy {
  const setting = process.env.CHRONICLE_APPROVAL_POLICY?.trim() ?? '';
  if (setting === '' || setting === 'default') return DEFAULT_APPROVAL_POLICY;
  if (setting === 'off') return APPROVALS_OFF;
  let policy = cache.get(setting);
  if (!policy) {
    let text: string;
    try {
      text = readFileSync(setting, 'utf8');
    } catch {
      throw new AppError(
        'service_unavailable',
        `CHRONICLE_APPROVAL_POLICY names ${setting}, which cannot be read. Point it at a JSON policy file, or set it to "off" or "default".`,
      );
    }
    policy = parseApprovalPolicy(text, setting);
    cache.set(setting, policy);
  }
  return policy;
}

/** One line for the start-up log: which policy is in force. */
export function describeApprovalPolicy(policy: ApprovalPolicy): string {
  if (!policy.enabled)
    return 'approvals: off (CHRONICLE_APPROVAL_POLICY=off): nothing waits for a second person';
  const kinds = Object.entries(policy.rules).map(([kind, rule]) =>
    rule.when === 'always' ? kind : `${kind} > ${policy.defaultThresholdMajor}`,
  );
  return `approvals: ${policy.source} policy; a second person approves ${kinds.join(', ')}; requests expire after ${policy.requestTtlMs / 3_600_000} h`;
}
