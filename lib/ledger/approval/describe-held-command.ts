// One line that tells a checker what a held command does, in the words of the back office.

import type { CurrencyCode } from '../currencies';
import { formatAmount } from '../money';

export function describeHeldCommand(
  command: Readonly<Record<string, unknown>> & { type: string },
  amount: { minor: bigint | null; currency: string },
): string {
  const money =
    amount.minor === null
      ? ''
      : `${formatAmount(amount.minor, amount.currency as CurrencyCode, { grouping: true })} ${amount.currency}`;
  const text = (field: string) => String(command[field] ?? '');
  switch (command.type) {
    case 'withdraw':
      return `Withdraw ${money} from ${text('accountId')}`;
    case 'transfer':
      return `Transfer ${money} from ${text('fromAccountId')} to ${text('toAccountId')}`;
    case 'reverse_charge':
      return `Reverse ${money} of charge ${text('originalEventId')} on ${text('accountId')}`;
    case 'capture_hold':
      return `Capture ${money} of hold ${text('holdId')} on ${text('accountId')}`;
    case 'freeze_account':
      return `Freeze ${text('accountId')}: ${text('reason')}`;
    case 'unfreeze_account':
      return `Unfreeze ${text('accountId')}: ${text('reason')}`;
    case 'write_off_shortfall':
      return `Write off ${money} owed on ${text('accountId')} (dispute ${text('disputeId')})`;
    case 'record_correction':
      return `Correct ${text('accountId')}: ${text('kind')} of ${money} effective ${text('effectiveAt')}`;
    case 'grant_admin_role':
      return `Make ${text('email') || text('userId')} an admin`;
    case 'create_admin_api_key':
      return `Create admin API key "${text('name')}"`;
    default:
      return command.type;
  }
}
