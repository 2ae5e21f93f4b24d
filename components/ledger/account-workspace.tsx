'use client';

// The time-dependent part of the account page: the time-travel slider, the chart and the timeline
// share one selected instant, which is mirrored in the URL (?at=…) without a server round trip.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import type { AsOfViewModel, BalancePoint, TimelineEntryViewModel } from '@/lib/view-models';
import { BalanceChart } from './balance-chart';
import { TimeTravel, type KnownAxis } from './time-travel';
import { Timeline } from './timeline';

/** How long the slider rests before its position goes to the URL, the chart and the timeline. */
const REST_MS = 150;

export function AccountWorkspace(props: {
  accountId: string;
  currency: CurrencyCode;
  firstEventAt: string;
  lastEventAt: string;
  /** The account's version: when the live stream brings new events, the slider's history grows. */
  headVersion: number;
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
  // The slider's headline follows every step within the frame; the chart's marker and the
  // timeline's dimming follow once the slider rests, so that a run of steps re-renders nothing
  // but the slider (rendering them after every step put a step behind the previous one's work).
  const [settledAt, setSettledAt] = useState<string | null>(props.initialAt);
  // Both instants live in the URL: ?at=E, and &knownAt=E when showing what Chronicle showed then.
  // Written once the slider rests: Next.js re-renders its router on every replaceState, which
  // would cost a step its frame.
  const mirrorTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const mirror = useCallback((nextAt: string | null, nextKnown: KnownAxis) => {
    clearTimeout(mirrorTimer.current);
    mirrorTimer.current = setTimeout(() => {
      setSettledAt(nextAt);
      const url = new URL(window.location.href);
      if (nextAt) url.searchParams.set('at', nextAt);
      else url.searchParams.delete('at');
      if (nextAt && nextKnown === 'then') url.searchParams.set('knownAt', nextAt);
      else url.searchParams.delete('knownAt');
      window.history.replaceState(window.history.state, '', url);
    }, REST_MS);
  }, []);
  useEffect(() => () => clearTimeout(mirrorTimer.current), []);
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

  // The same elements while settledAt stands still, so a step re-renders only the slider.
  const { series, accountId, currency, firstPage, canReverse, canDispute, reversalNotice } = props;
  const chartAndTimeline = useMemo(
    () => (
      <>
        <BalanceChart points={series} currency={currency} at={settledAt} />
        <Timeline
          accountId={accountId}
          currency={currency}
          firstPage={firstPage}
          at={settledAt}
          canReverse={canReverse}
          canDispute={canDispute}
          reversalNotice={reversalNotice}
        />
      </>
    ),
    [series, accountId, currency, firstPage, canReverse, canDispute, reversalNotice, settledAt],
  );

  return (
    <div className="space-y-6">
      <TimeTravel
        accountId={props.accountId}
        currency={props.currency}
        firstEventAt={props.firstEventAt}
        lastEventAt={props.lastEventAt}
        headVersion={props.headVersion}
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
      {chartAndTimeline}
    </div>
  );
}
