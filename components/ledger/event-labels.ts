// Words for events, shared by the timeline, the event page and the audit log.
import {
  adminEventDataSchema,
  describeAdminChange,
  isAdminEventType,
  type AdminEventType,
} from '@/lib/admin/admin-events';
import { isCurrencyCode } from '@/lib/ledger/currencies';
import type { LedgerEventType } from '@/lib/ledger/events';
import { formatAmount } from '@/lib/ledger/money';
import { formatUtc } from '@/lib/format-time';
import type { EventViewModel } from '@/lib/view-models';

// Keyed by every event type, so that a new one cannot be forgotten here.
export const EVENT_TYPE_LABELS: Record<LedgerEventType | AdminEventType, string> = {
  account_opened: 'Account opened',
  funds_deposited: 'Deposit',
  funds_withdrawn: 'Withdrawal',
  transfer_initiated: 'Transfer out',
  transfer_completed: 'Transfer in',
  charge_reversed: 'Charge reversed',
  account_frozen: 'Account frozen',
  account_unfrozen: 'Account unfrozen',
  funds_held: 'Hold placed',
  held_funds_captured: 'Hold captured',
  held_funds_released: 'Hold released',
  held_funds_expired: 'Hold expired',
  hold_placed: 'Hold placed',
  hold_captured: 'Hold captured',
  hold_released: 'Hold released',
  hold_expired: 'Hold expired',
  charge_disputed: 'Charge disputed',
  provisional_credit_given: 'Provisional credit',
  disputed_charge_refunded: 'Dispute refund',
  provisional_credit_reversed: 'Provisional credit taken back',
  charge_dispute_closed: 'Dispute closed',
  shortfall_collected: 'Dispute shortfall collected',
  shortfall_written_off: 'Dispute shortfall written off',
  dispute_opened: 'Dispute opened',
  dispute_assigned: 'Dispute assigned',
  dispute_note_added: 'Note added',
  dispute_evidence_added: 'Evidence added',
  dispute_evidence_submitted: 'Evidence submitted',
  dispute_provisional_credit_given: 'Provisional credit given',
  dispute_resolved: 'Dispute resolved',
  dispute_shortfall_written_off: 'Shortfall written off',
  balance_corrected: 'Correction',
  approval_requested: 'Approval requested',
  approval_granted: 'Approved',
  approval_rejected: 'Approval rejected',
  approval_cancelled: 'Approval request cancelled',
  user_created: 'User created',
  user_role_changed: 'Role changed',
  user_disabled: 'User disabled',
  user_enabled: 'User enabled',
  api_key_created: 'API key created',
  api_key_revoked: 'API key revoked',
};

export function eventTypeLabel(type: string): string {
  return (EVENT_TYPE_LABELS as Record<string, string>)[type] ?? type;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** An event's amount in its currency, for events whose amount is not a posted movement. */
function heldAmount(data: Record<string, unknown>): string {
  const currency = text(data.currency);
  if (!/^\d+$/.test(text(data.amountMinor)) || !isCurrencyCode(currency)) return '';
  return `${formatAmount(BigInt(text(data.amountMinor)), currency, { grouping: true })} ${currency}`;
}

function shortId(value: unknown): string {
  return text(value).slice(-8);
}

/** One line saying what happened, without the amount (shown in its own column). */
export function describeEvent(event: Pick<EventViewModel, 'type' | 'data'>): string {
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
    case 'funds_held':
    case 'hold_placed': {
      const expiry = text(data.expiresAt) ? ` · expires ${formatUtc(text(data.expiresAt))}` : '';
      return withReference(`${heldAmount(data)} held: ${text(data.reason)}${expiry}`);
    }
    case 'held_funds_captured':
    case 'hold_captured':
      return `${heldAmount(data)} of hold ${shortId(data.holdId)} captured`;
    case 'held_funds_released':
    case 'hold_released':
      return `${heldAmount(data)} freed: ${text(data.reason)}`;
    case 'held_funds_expired':
    case 'hold_expired':
      return `${heldAmount(data)} freed: hold ${shortId(data.holdId)} expired`;
    case 'charge_disputed':
    case 'dispute_opened':
      return `${heldAmount(data)} of charge ${shortId(data.chargeEventId)} disputed${text(data.reasonCode) ? ` (${text(data.reasonCode).replaceAll('_', ' ')})` : ''}`;
    case 'provisional_credit_given':
    case 'disputed_charge_refunded':
    case 'provisional_credit_reversed':
    case 'shortfall_collected':
      return `Dispute ${shortId(data.disputeId)} on charge ${shortId(data.chargeEventId)}`;
    case 'charge_dispute_closed':
      return `Dispute ${shortId(data.disputeId)} ${text(data.outcome)}${text(data.outstandingMinor) && text(data.outstandingMinor) !== '0' ? ' · shortfall owed' : ''}`;
    case 'shortfall_written_off':
    case 'dispute_shortfall_written_off':
      return `${heldAmount(data)} written off: ${text(data.reason)}`;
    case 'dispute_assigned':
      return `Assigned to ${text(data.assigneeId)}`;
    case 'dispute_note_added':
      return text(data.text).slice(0, 120);
    case 'dispute_evidence_added':
      return `${text(data.fileName)} · sha256 ${text(data.sha256).slice(0, 12)}…`;
    case 'dispute_evidence_submitted': {
      const count = Array.isArray(data.evidenceIds) ? data.evidenceIds.length : 0;
      return `${count} ${count === 1 ? 'item' : 'items'} of evidence submitted`;
    }
    case 'dispute_provisional_credit_given':
      return `${heldAmount(data)} credited provisionally`;
    case 'dispute_resolved':
      return `${text(data.outcome)}: ${text(data.note)}`;
    case 'balance_corrected':
      return `Backdated ${text(data.kind)}, effective ${formatUtc(text(data.effectiveAt))}: ${text(data.reason)}${text(data.correctsEventId) ? ` · corrects ${shortId(data.correctsEventId)}` : ''}`;
    case 'approval_requested':
      return text(data.summary);
    case 'approval_rejected':
      return `Reason: ${text(data.reason)}`;
    default: {
      if (!isAdminEventType(event.type)) return '';
      const parsed = adminEventDataSchema.safeParse(data);
      if (!parsed.success) return '';
      const subject = parsed.data.subject.kind === 'user' ? 'User' : 'API key';
      return `${subject} ${parsed.data.subject.label} · ${describeAdminChange(parsed.data)}`;
    }
  }
}
