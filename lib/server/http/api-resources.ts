// Converters from ledger records to the API's JSON resources (lib/schemas/api-resources.ts).

import type { z } from 'zod';
import { formatAmount } from '../../ledger/money';
import type { accountAsOfResource, accountResource } from '../../schemas/api-resources';
import type { RecordedEvent } from '../event-store/types';
import type { AccountView } from '../projections/account-view';
import type { AccountAsOf } from '../queries/get-account-at';

// Typed by the resource schemas, so the converter cannot drift from the documented shape.
export function toAccountResource(account: AccountView): z.input<typeof accountResource> {
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

export function toAccountAsOfResource(asOf: AccountAsOf): z.input<typeof accountAsOfResource> {
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
