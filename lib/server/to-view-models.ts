// Converters from server-side records to the JSON view shapes in lib/views.ts.

import { accountIdOfStream } from '../ledger/events';
import type {
  AccountViewModel,
  AsOfViewModel,
  ChargeViewModel,
  EventViewModel,
  HoldViewModel,
  TimelineEntryViewModel,
} from '../view-models';
import type { RecordedEvent } from './event-store/types';
import { availableMinorOf, type AccountRecord } from './aggregates/account/account-record';
import type { HoldRecord } from './aggregates/hold/hold-record';
import type { ChargeStanding } from './disputes/read-charge-standings';
import type { AccountAsOf } from './queries/get-account-at';
import type { TimelineEntry } from './queries/list-timeline';

export function toAccountViewModel(account: AccountRecord): AccountViewModel {
  return {
    id: account.id,
    ownerId: account.ownerId,
    currency: account.currency,
    balanceMinor: account.balanceMinor.toString(),
    heldMinor: account.heldMinor.toString(),
    availableMinor: availableMinorOf(account).toString(),
    frozen: account.frozen,
    frozenReason: account.frozenReason,
    version: account.version,
    openedAt: account.openedAt.toISOString(),
    lastEventAt: account.lastEventAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}

export function toEventViewModel(
  event: RecordedEvent,
  actorLabels: ReadonlyMap<string, string>,
): EventViewModel {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    accountId: accountIdOfStream(event.streamId),
    version: event.streamVersion,
    position: event.globalPosition.toString(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { ...event.metadata },
    actorLabel: actorLabelOf(event.metadata, actorLabels),
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    hash: event.hash,
    prevHash: event.prevHash,
  };
}

export function toTimelineEntryViewModel(
  entry: TimelineEntry,
  actorLabels: ReadonlyMap<string, string>,
  charges: ReadonlyMap<string, ChargeStanding> = new Map(),
): TimelineEntryViewModel {
  const charge = charges.get(entry.event.eventId);
  return {
    event: toEventViewModel(entry.event, actorLabels),
    amountDeltaMinor: entry.amountDeltaMinor.toString(),
    balanceAfterMinor: entry.balanceAfterMinor.toString(),
    frozenAfter: entry.frozenAfter,
    reversedMinor: entry.reversedMinor === null ? null : entry.reversedMinor.toString(),
    charge: charge ? toChargeViewModel(charge) : null,
  };
}

export function toChargeViewModel(charge: ChargeStanding): ChargeViewModel {
  return {
    reversibleMinor: charge.reversibleMinor.toString(),
    openDisputeId: charge.openDisputeId,
  };
}

export function toAsOfViewModel(asOf: AccountAsOf): AsOfViewModel {
  return {
    account: toAccountViewModel(asOf.account),
    asOf: asOf.asOf.toISOString(),
    knownAt: asOf.knownAt?.toISOString() ?? null,
    correctionsMinor: asOf.correctionsMinor.toString(),
    lastEvent: {
      eventId: asOf.lastEvent.eventId,
      version: asOf.lastEvent.version,
      type: asOf.lastEvent.type,
      occurredAt: asOf.lastEvent.occurredAt.toISOString(),
    },
    holds: asOf.holds.map((hold) => ({
      id: hold.id,
      amountMinor: hold.amountMinor.toString(),
      capturedMinor: (hold.amountMinor - hold.remainingMinor).toString(),
      remainingMinor: hold.remainingMinor.toString(),
      reason: hold.reason,
      reference: hold.reference,
      placedAt: hold.placedAt.toISOString(),
      expiresAt: hold.expiresAt?.toISOString() ?? null,
    })),
  };
}

export function toHoldViewModel(hold: HoldRecord): HoldViewModel {
  return {
    id: hold.id,
    amountMinor: hold.amountMinor.toString(),
    capturedMinor: hold.capturedMinor.toString(),
    remainingMinor: hold.remainingMinor.toString(),
    reason: hold.reason,
    reference: hold.reference,
    placedAt: hold.placedAt.toISOString(),
    expiresAt: hold.expiresAt?.toISOString() ?? null,
  };
}

/** Who acted, in words; "X, approved by Y" for a command run on approval. */
export function actorLabelOf(
  metadata: { actor: string; approvedBy?: string },
  actorLabels: ReadonlyMap<string, string>,
): string {
  const label = (actor: string) => actorLabels.get(actor) ?? actor;
  return metadata.approvedBy
    ? `${label(metadata.actor)}, approved by ${label(metadata.approvedBy)}`
    : label(metadata.actor);
}
