'use client';

// The time-dependent part of the account page: the time-travel slider, the chart and the timeline
// share one selected instant, which is mirrored in the URL (?at=…) without a server round trip.

import { useCallback, useState } from 'react';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import type { AsOfViewModel, BalancePoint, TimelineEntryViewModel } from '@/lib/view-models';
import { BalanceChart } from './balance-chart';
import { TimeTravel } from './time-travel';
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
  canReverse: boolean;
  canDispute: boolean;
}) {
  const [at, setAt] = useState<string | null>(props.initialAt);
  const changeAt = useCallback((next: string | null) => {
    setAt(next);
    const url = new URL(window.location.href);
    if (next) url.searchParams.set('at', next);
    else url.searchParams.delete('at');
    window.history.replaceState(window.history.state, '', url);
  }, []);

  return (
    <div className="space-y-6">
      <TimeTravel
        accountId={props.accountId}
        currency={props.currency}
        firstEventAt={props.firstEventAt}
        lastEventAt={props.lastEventAt}
        at={at}
        onChange={changeAt}
        initial={props.initialAt ? { at: props.initialAt, asOf: props.initialAsOf } : null}
      />
      <BalanceChart points={props.series} currency={props.currency} at={at} />
      <Timeline
        accountId={props.accountId}
        currency={props.currency}
        firstPage={props.firstPage}
        at={at}
        canReverse={props.canReverse}
        canDispute={props.canDispute}
      />
    </div>
  );
}
