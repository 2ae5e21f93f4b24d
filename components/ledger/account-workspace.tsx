'use client';

// The time-dependent part of the account page: the time-travel slider, the chart and the timeline
// share one selected instant, which is mirrored in the URL (?at=…) without a server round trip.

import { useCallback, useState } from 'react';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import type { AsOfViewModel, BalancePoint, TimelineEntryViewModel } from '@/lib/view-models';
import { BalanceChart } from './balance-chart';
import { TimeTravel, type KnownAxis } from './time-travel';
import { Timeline } from './timeline';

export function AccountWorkspace(props: {
  accountId: string;
  currency: CurrencyCode;
  firstEventAt: string;
  lastEventAt: string;
  series: BalancePoint[];
  firstPage: { entries: TimelineEntryViewModel[]; nextBeforeVersion: number | null };
  initialAt: string | null;
  initialAsOf: AsOfViewModel | null;
  initialAsShownThen: AsOfViewModel | null;
  initialKnown: KnownAxis;
  canReverse: boolean;
  canDispute: boolean;
  reversalNotice?: string | undefined;
}) {
  const [at, setAt] = useState<string | null>(props.initialAt);
  const [known, setKnown] = useState<KnownAxis>(props.initialKnown);
  // Both instants live in the URL: ?at=E, and &knownAt=E when showing what Chronicle showed then.
  const mirror = useCallback((nextAt: string | null, nextKnown: KnownAxis) => {
    const url = new URL(window.location.href);
    if (nextAt) url.searchParams.set('at', nextAt);
    else url.searchParams.delete('at');
    if (nextAt && nextKnown === 'then') url.searchParams.set('knownAt', nextAt);
    else url.searchParams.delete('knownAt');
    window.history.replaceState(window.history.state, '', url);
  }, []);
  const changeAt = useCallback(
    (next: string | null) => {
      setAt(next);
      mirror(next, known);
    },
    [known, mirror],
  );
  const changeKnown = useCallback(
    (next: KnownAxis) => {
      setKnown(next);
      mirror(at, next);
    },
    [at, mirror],
  );

  return (
    <div className="space-y-6">
      <TimeTravel
        accountId={props.accountId}
        currency={props.currency}
        firstEventAt={props.firstEventAt}
        lastEventAt={props.lastEventAt}
        at={at}
        onChange={changeAt}
        known={known}
        onKnownChange={changeKnown}
        initial={
          props.initialAt
            ? {
                at: props.initialAt,
                asOf: props.initialAsOf,
                asShownThen: props.initialAsShownThen,
              }
            : null
        }
      />
      <BalanceChart points={props.series} currency={props.currency} at={at} />
      <Timeline
        accountId={props.accountId}
        currency={props.currency}
        firstPage={props.firstPage}
        at={at}
        canReverse={props.canReverse}
        canDispute={props.canDispute}
        reversalNotice={props.reversalNotice}
      />
    </div>
  );
}
