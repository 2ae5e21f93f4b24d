// Which actions need a second person, above which amounts, and who may be that person: the one
// module that says so. The policy itself is data (the default below, or a JSON file named by
// CHRONICLE_APPROVAL_POLICY, read by lib/server/approvals/approval-policy-config.ts); this module
// only applies it. Pure: the amount and currency come from the caller's preview of the command.

import type { Role } from '../../auth/permissions';
import { CURRENCY_CODES, currencyExponent, isCurrencyCode } from '../currencies';
import { parseAmount } from '../money';
import type { ApprovalKind } from './approval-rules';

export interface ApprovalRule {
  /** `always`, or only when the amount moved exceeds the currency's threshold. */
  readonly when: 'always' | 'above_threshold';
  /** The roles a checker may hold. */
  readonly approvers: readonly Role[];
}

export interface ApprovalPolicy {
  /** How the policy came to be, for the log line at start-up: "default", a file path, "off". */
  readonly source: string;
  readonly enabled: boolean;
  readonly requestTtlMs: number;
  /** Whole major units for currencies without a threshold of their own (`10000` = 10,000.00 USD). */
  readonly defaultThresholdMajor: bigint;
  /** Decimal strings in the currency's own units, e.g. `{ "JPY": "1500000" }`. */
  readonly thresholds: Readonly<Record<string, string>>;
  readonly rules: Partial<Record<ApprovalKind, ApprovalRule>>;
}

const HOUR_MS = 3_600_000;
const MONEY_APPROVERS: readonly Role[] = ['admin', 'support'];
const ADMIN_ONLY: readonly Role[] = ['admin'];

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  source: 'default',
  enabled: true,
  requestTtlMs: 72 * HOUR_MS,
  defaultThresholdMajor: 10_000n,
  thresholds: {},
  rules: {
    withdraw: { when: 'above_threshold', approvers: MONEY_APPROVERS },
    transfer: { when: 'above_threshold', approvers: MONEY_APPROVERS },
    reverse_charge: { when: 'above_threshold', approvers: MONEY_APPROVERS },
    // A capture is a debit like a withdrawal: the same line applies to it.
    capture_hold: { when: 'above_threshold', approvers: MONEY_APPROVERS },
    freeze_account: { when: 'always', approvers: ADMIN_ONLY },
    unfreeze_account: { when: 'always', approvers: ADMIN_ONLY },
    write_off_shortfall: { when: 'always', approvers: ADMIN_ONLY },
    record_correction: { when: 'always', approvers: ADMIN_ONLY },
    grant_admin_role: { when: 'always', approvers: ADMIN_ONLY },
    create_admin_api_key: { when: 'always', approvers: ADMIN_ONLY },
  },
};

export const APPROVALS_OFF: ApprovalPolicy = {
  ...DEFAULT_APPROVAL_POLICY,
  source: 'off',
  enabled: false,
  rules: {},
};

/** The amount in minor units above which `currency` moves need approval. */
export function thresholdMinor(policy: ApprovalPolicy, currency: string): bigint {
  const own = policy.thresholds[currency];
  if (own !== undefined) return parseAmount(own, currency, `thresholds.${currency}`);
  const exponent = isCurrencyCode(currency) ? currencyExponent(currency) : 2;
  return policy.defaultThresholdMajor * 10n ** BigInt(exponent);
}

/** Whether the policy holds this kind of action at all (before anything is read for it). */
export function mayNeedApproval(policy: ApprovalPolicy, kind: string): kind is ApprovalKind {
  return policy.enabled && Object.hasOwn(policy.rules, kind);
}

/**
 * The rule that holds this action for approval, or null when it may run at once. `amountMinor` is
 * what the action moves (null for actions that move nothing).
 */
export function approvalRequirement(
  policy: ApprovalPolicy,
  action: { kind: string; amountMinor: bigint | null; currency: string },
): ApprovalRule | null {
  if (!mayNeedApproval(policy, action.kind)) return null;
  const rule = policy.rules[action.kind] as ApprovalRule;
  if (rule.when === 'always') return rule;
  if (action.amountMinor === null) return null;
  return action.amountMinor > thresholdMinor(policy, action.currency) ? rule : null;
}

/** A decimal string read as digits and a scale ("12.5" → 125 and 1), or null if it is not one. */
function decimalOf(amount: unknown): { digits: bigint; scale: number } | null {
  if (typeof amount !== 'string' || amount.length > 40) return null;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return null;
  const fraction = match[2] ?? '';
  return { digits: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

/** The smallest threshold of any currency, as a fraction of major units: minor / 10^exponent. */
const lowestThresholdByPolicy = new WeakMap<
  ApprovalPolicy,
  { readonly minor: bigint; readonly scale: bigint }
>();

function lowestThreshold(policy: ApprovalPolicy): { minor: bigint; scale: bigint } {
  let lowest = lowestThresholdByPolicy.get(policy);
  if (!lowest) {
    for (const currency of CURRENCY_CODES) {
      const candidate = {
        minor: thresholdMinor(policy, currency),
        scale: 10n ** BigInt(currencyExponent(currency)),
      };
      // a/b < c/d ⇔ a·d < c·b (all positive)
      if (!lowest || candidate.minor * lowest.scale < lowest.minor * candidate.scale)
        lowest = candidate;
    }
    lowest ??= { minor: 0n, scale: 1n };
    lowestThresholdByPolicy.set(policy, lowest);
  }
  return lowest;
}

/**
 * Whether a command of `kind` moving the decimal `amount` it names runs without approval whatever
 * its account's currency: the amount is at most every currency's threshold. This is the gate's
 * fast path — it answers without reading the account — and it only ever says "no approval" when
 * the full check (approvalRequirement on the previewed amount and currency) would say so too: an
 * amount the command does not name, or that is not a plain decimal string, answers false.
 */
export function belowEveryThreshold(
  policy: ApprovalPolicy,
  kind: string,
  amount: unknown,
): boolean {
  if (!mayNeedApproval(policy, kind)) return true;
  if (policy.rules[kind]?.when !== 'above_threshold') return false;
  const decimal = decimalOf(amount);
  if (!decimal) return false;
  // At most the lowest threshold is at most every one: digits / 10^scale ≤ minor / 10^exponent,
  // compared without division.
  const lowest = lowestThreshold(policy);
  return decimal.digits * lowest.scale <= lowest.minor * 10n ** BigInt(decimal.scale);
}
