// Words for events, shared by the timeline, the event page and the audit log.
import type { EventView } from '@/lib/views';

export const EVENT_TYPE_LABELS: Record<string, string> = {
  account_opened: 'Account opened',
  funds_deposited: 'Deposit',
  funds_withdrawn: 'Withdrawal',
  transfer_initiated: 'Transfer out',
  transfer_completed: 'Transfer in',
  charge_reversed: 'Charge reversed',
  account_frozen: 'Account frozen',
  account_unfrozen: 'Account unfrozen',
};

export function eventTypeLabel(type: string): string {
  return EVENT_TYPE_LABELS[type] ?? type;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One line saying what happened, without the amount (shown in its own column). */
export function describeEvent(event: Pick<EventView, 'type' | 'data'>): string {
  const data = event.data;
  const withReference = (base: string) =>
    text(data.reference) ? `${base} · ref ${text(data.reference)}` : base;
  switch (event.type) {
    case 'account_opened':
      return `Opened for ${text(data.ownerId)} in ${text(data.currency)}`;
    case 'funds_deposited':
      return withReference(text(data.source) ? `From ${text(data.source)}` : 'Deposit');
    case 'funds_withdrawn':
      return withReference(text(data.destination) ? `To ${text(data.destination)}` : 'Withdrawal');
    case 'transfer_initiated':
      return withReference(`To account ${text(data.toAccountId)}`);
    case 'transfer_completed':
      return withReference(`From account ${text(data.fromAccountId)}`);
    case 'charge_reversed':
      return `Reason: ${text(data.reason)}`;
    case 'account_frozen':
    case 'account_unfrozen':
      return `Reason: ${text(data.reason)}`;
    default:
      return '';
  }
}
