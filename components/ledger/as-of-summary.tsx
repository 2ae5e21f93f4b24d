'use client';

// What the time-travel slider shows for its instant: the headline (posted, held, available,
// status, version, the last event applied — from the balance history kept in the browser, so it
// follows every step at once) and the details that come from the server a moment later (the
// holds reserving funds then, the link to the event).

import Link from 'next/link';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import type { HistoryLookup } from '@/lib/time-travel/balance-history';
import type { AsOfViewModel, HoldViewModel } from '@/lib/view-models';
import { formatUtc } from '@/lib/format-time';
import { Amount } from '../ui/amount';
import { AccountStatusBadge } from './account-status-badge';
import { eventTypeLabel } from './event-labels';

/** One time axis of the headline, amounts as strings of minor units. */
export interface AxisView {
  readonly balanceMinor: string;
  readonly heldMinor: string;
  readonly availableMinor: string;
}

export interface AsOfView {
  readonly now: AxisView;
  readonly then: AxisView;
  readonly frozen: boolean;
  readonly version: number;
  readonly lastEvent: {
    readonly type: string;
    readonly occurredAt: string;
    /** Known once the server's answer for this instant is in. */
    readonly eventId: string | null;
  };
  /** Null until the server's answer for this instant is in. */
  readonly holds: readonly HoldViewModel[] | null;
}

/** Both axes, as the as-of route answers them (the server path). */
export interface AsOfAnswer {
  readonly at: string;
  readonly asOf: AsOfViewModel | null;
  readonly asShownThen: AsOfViewModel | null;
}

const axisOf = (view: AsOfViewModel): AxisView => ({
  balanceMinor: view.account.balanceMinor,
  heldMinor: view.account.heldMinor,
  availableMinor: view.account.availableMinor,
});

/**
 * The view at an instant: from the local history when it knows the instant (with the server's
 * details when they are for the same instant), else from the server's answer; undefined while
 * neither has it, null when the account did not exist yet.
 */
export function asOfViewOf(
  local: HistoryLookup | null,
  answer: AsOfAnswer | undefined,
): AsOfView | null | undefined {
  if (local?.kind === 'before_first') return null;
  if (local?.kind === 'known') {
    const detail = answer?.asOf;
    const isSameEvent = detail?.lastEvent.version === local.version;
    return {
      now: {
        balanceMinor: local.now.balanceMinor.toString(),
        heldMinor: local.now.heldMinor.toString(),
        availableMinor: local.now.availableMinor.toString(),
      },
      then: {
        balanceMinor: local.then.balanceMinor.toString(),
        heldMinor: local.then.heldMinor.toString(),
        availableMinor: local.then.availableMinor.toString(),
      },
      frozen: local.isFrozen,
      version: local.version,
      lastEvent: {
        type: local.eventType,
        occurredAt: new Date(local.occurredMs).toISOString(),
        eventId: isSameEvent ? (detail?.lastEvent.eventId ?? null) : null,
      },
      holds: answer ? (answer.asOf?.holds ?? []) : null,
    };
  }
  if (!answer) return undefined;
  const { asOf, asShownThen } = answer;
  if (!asOf) return null;
  return {
    now: axisOf(asOf),
    // The server answers null "as shown then" only before the first event, as it does "now".
    then: asShownThen ? axisOf(asShownThen) : axisOf(asOf),
    frozen: asOf.account.frozen,
    version: asOf.account.version,
    lastEvent: {
      type: asOf.lastEvent.type,
      occurredAt: asOf.lastEvent.occurredAt,
      eventId: asOf.lastEvent.eventId,
    },
    holds: asOf.holds,
  };
}

export function AsOfSummary({
  at,
  view,
  showThen,
  currency,
}: {
  at: string;
  view: AsOfView;
  showThen: boolean;
  currency: CurrencyCode;
}) {
  const result = showThen ? view.then : view.now;
  const other = showThen ? view.now : view.then;
  const differs = view.now.balanceMinor !== view.then.balanceMinor;
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
      <div className="col-span-2 sm:col-span-3 lg:col-span-6">
        <dt className="sr-only">As of</dt>
        <dd className="font-medium">
          As of {formatUtc(at, true)}
          {showThen ? ', as Chronicle showed it then' : ', as we know it now'}
        </dd>
      </div>
      {differs ? (
        <div className="col-span-2 rounded-md bg-amber-50 p-2 text-amber-900 sm:col-span-3 lg:col-span-6">
          <dt className="sr-only">Correction recorded later</dt>
          <dd data-testid="as-of-correction-note">
            A backdated correction recorded later changes this instant&apos;s balance:{' '}
            {showThen ? 'as we know it now it is ' : 'Chronicle showed '}
            <span data-testid="as-of-other-balance">
              <Amount minor={other.balanceMinor} currency={currency} />
            </span>
            {showThen ? '.' : ' then.'}
          </dd>
        </div>
      ) : null}
      <div>
        <dt className="text-xs text-slate-500">Balance then</dt>
        <dd data-testid="as-of-balance">
          <Amount
            minor={result.balanceMinor}
            currency={currency}
            className="text-base font-semibold"
          />
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Held then</dt>
        <dd data-testid="as-of-held">
          <Amount minor={result.heldMinor} currency={currency} />
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Available then</dt>
        <dd data-testid="as-of-available">
          <Amount minor={result.availableMinor} currency={currency} className="font-semibold" />
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Status then</dt>
        <dd>
          <AccountStatusBadge frozen={view.frozen} />
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Version then</dt>
        <dd className="tabular-nums" data-testid="as-of-version">
          {view.version}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">Last event applied</dt>
        <dd>
          {view.lastEvent.eventId ? (
            <Link className="text-sky-800 underline" href={`/events/${view.lastEvent.eventId}`}>
              {eventTypeLabel(view.lastEvent.type)}
            </Link>
          ) : (
            eventTypeLabel(view.lastEvent.type)
          )}{' '}
          <span className="text-xs text-slate-500">{formatUtc(view.lastEvent.occurredAt)}</span>
        </dd>
      </div>
      <div className="col-span-2 sm:col-span-3 lg:col-span-6">
        <dt className="text-xs text-slate-500">Holds reserving funds then</dt>
        <dd data-testid="as-of-holds" aria-busy={view.holds === null ? true : undefined}>
          {view.holds === null ? (
            <span className="text-slate-500">Loading…</span>
          ) : view.holds.length === 0 ? (
            'none'
          ) : (
            <ul className="mt-1 space-y-0.5">
              {view.holds.map((hold) => (
                <li key={hold.id} data-testid="as-of-hold">
                  <Amount minor={hold.remainingMinor} currency={currency} /> — {hold.reason}
                  {hold.reference ? ` · ref ${hold.reference}` : ''}
                  <span className="text-xs text-slate-500">
                    {' '}
                    · placed {formatUtc(hold.placedAt)}
                    {hold.expiresAt ? ` · expires ${formatUtc(hold.expiresAt)}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}
