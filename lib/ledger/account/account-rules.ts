// The rules every command about an account's money applies: the account exists, is not frozen,
// has the funds available, and has room under the maximum balance. Shared by the account's,
// holds' and disputes' deciders.

import { AppError } from '../../errors';
import { requireAccountId } from '../field-rules';
import type { LedgerState } from '../ledger-state';
import { MAX_BALANCE_MINOR, formatAmount } from '../money';
import { availableAt, heldAt, outstandingOf, type OpenAccount } from './account-state';

export function requireOpenAccount(
  state: LedgerState,
  accountId: string,
  field: string,
): OpenAccount {
  requireAccountId(accountId, field);
  const found = state.account.get(accountId);
  if (found?.status !== 'open') {
    throw new AppError('not_found', `Account ${accountId} does not exist.`, {
      fieldErrors: { [field]: 'No account has this id.' },
    });
  }
  return found;
}

export function requireNotFrozen(open: OpenAccount): void {
  if (open.isFrozen) {
    throw new AppError(
      'account_frozen',
      `Account ${open.accountId} is frozen${open.frozenReason ? ` (${open.frozenReason})` : ''}; money cannot leave it until it is unfrozen.`,
    );
  }
}

/** Refuses taking more than is available at `now`: the balance less what holds reserve. */
export function requireAvailable(open: OpenAccount, amountMinor: bigint, now: Date): void {
  const availableMinor = availableAt(open, now);
  if (amountMinor <= availableMinor) return;
  const format = (minor: bigint) => formatAmount(minor, open.currency, { grouping: true });
  const heldMinor = heldAt(open, now);
  const owedMinor = outstandingOf(open);
  const parts = [
    `${format(open.balanceMinor)} posted`,
    ...(heldMinor > 0n ? [`${format(heldMinor)} held`] : []),
    ...(owedMinor > 0n ? [`${format(owedMinor)} owed from lost disputes`] : []),
  ];
  const detail = parts.length > 1 ? ` available (${parts.join(', ')})` : '';
  throw new AppError(
    'insufficient_funds',
    `Account ${open.accountId} holds ${format(availableMinor)} ${open.currency}${detail}, less than the ${format(amountMinor)} requested.`,
    {
      fieldErrors: {
        amount:
          parts.length > 1
            ? `Only ${format(availableMinor)} ${open.currency} is available.`
            : `The balance is only ${format(availableMinor)} ${open.currency}.`,
      },
    },
  );
}

export function requireRoomFor(open: OpenAccount, amountMinor: bigint): void {
  if (open.balanceMinor + amountMinor > MAX_BALANCE_MINOR) {
    throw new AppError(
      'balance_limit_exceeded',
      `Account ${open.accountId} would exceed the maximum balance.`,
    );
  }
}
