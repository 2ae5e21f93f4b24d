// What a form says before it is submitted when the approval policy may hold its command, so
// nobody is surprised by "sent for approval" after the fact.

import { ROLE_LABELS } from '../../auth/permissions';
import { thresholdMinor } from '../../ledger/approval/approval-policy';
import type { ApprovalKind } from '../../ledger/approval/approval-rules';
import { isCurrencyCode } from '../../ledger/currencies';
import { formatAmount } from '../../ledger/money';
import { approvalPolicy } from './approval-policy-config';

/** The notice for `kind` on an account in `currency`, or undefined when nothing is held. */
export function approvalNotice(kind: ApprovalKind, currency = ''): string | undefined {
  const policy = approvalPolicy();
  const rule = policy.enabled ? policy.rules[kind] : undefined;
  if (!rule) return undefined;
  const who = rule.approvers.map((role) => ROLE_LABELS[role].toLowerCase()).join(' or ');
  if (rule.when === 'always')
    return `This needs a second person's approval (another ${who}) before it takes effect.`;
  if (!isCurrencyCode(currency)) return undefined;
  const threshold = formatAmount(thresholdMinor(policy, currency), currency, { grouping: true });
  return `Above ${threshold} ${currency} this needs a second person's approval (another ${who}) before it takes effect.`;
}
