// The days a new case has to be answered, by reason: the defaults of the domain, overridden per
// reason by CHRONICLE_DISPUTE_DUE_DAYS (for example `fraudulent=45,duplicate=10`). Read once.

import { AppError } from '../../errors';
import {
  DEFAULT_DUE_DAYS,
  DISPUTE_REASON_CODES,
  MAX_DUE_DAYS,
  type DisputeReasonCode,
  type DueDaysPolicy,
} from '../../ledger/dispute/dispute-rules';

let configured: DueDaysPolicy | undefined;

/** Parses a policy override; throws a typed error naming the first bad entry. */
export function parseDueDaysPolicy(text: string | undefined): DueDaysPolicy {
  const policy: Record<DisputeReasonCode, number> = { ...DEFAULT_DUE_DAYS };
  const named = new Set<DisputeReasonCode>();
  for (const entry of (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z_]+)=(\d{1,3})$/.exec(entry);
    const reason = match?.[1] as DisputeReasonCode | undefined;
    const days = Number(match?.[2]);
    if (!reason || !DISPUTE_REASON_CODES.includes(reason) || days < 1 || days > MAX_DUE_DAYS)
      throw new AppError(
        'validation_error',
        `CHRONICLE_DISPUTE_DUE_DAYS: "${entry}" is not <reason>=<1..${MAX_DUE_DAYS} days>; reasons are ${DISPUTE_REASON_CODES.join(', ')}.`,
      );
    // A reason named twice (`duplicate=10,duplicate=40`) used to let the last one win silently:
    // whichever the operator meant, the other is a mistake, so neither is guessed.
    if (named.has(reason))
      throw new AppError(
        'validation_error',
        `CHRONICLE_DISPUTE_DUE_DAYS: ${reason} is named twice; name each reason at most once.`,
      );
    named.add(reason);
    policy[reason] = days;
  }
  return policy;
}

export function dueDaysPolicy(): DueDaysPolicy {
  configured ??= parseDueDaysPolicy(process.env.CHRONICLE_DISPUTE_DUE_DAYS);
  return configured;
}
