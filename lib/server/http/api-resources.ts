// Converters from ledger records to the API's JSON resources (lib/schemas/api-resources.ts).

import { formatAmount } from '../../ledger/money';
import type { RecordedEvent } from '../event-store/types';
import type { AccountView } from '../projections/account-view';
import type { AccountAsOf } from '../queries/get-account-at';

export function toAccountResource(account: AccountView) {
  return {
    id: account.id,
    ownerId: account.ownerId,
    currency: account.currency,
    balance: formatAmount(account.balanceMinor, account.currency),
    frozen: account.frozen,
    version: account.version,
    openedAt: account.openedAt.toISOString(),
  };
}

export function toAccountAsOfResource(asOf: AccountAsOf) {
  return {
    ...toAccountResource(asOf.account),
    asOf: asOf.asOf.toISOString(),
    lastEventId: asOf.lastEvent.eventId,
  };
}

export function toEventResource(event: RecordedEvent) {
  return {
    id: event.eventId,
    streamId: event.streamId,
    version: event.streamVersion,
    position: event.globalPosition.toString(),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

/** ETag for an account: its version, which If-Match accepts back. */
export function accountEtag(account: { version: number }): string {
  return `"${account.version}"`;
}
