'use client';

// An account's events, newest first: what happened, the signed amount, the balance after it, who
// did it and when (UTC and local), with links between a transfer's legs and a charge and its
// reversals. Older events load a page at a time, so a million-event account costs what you read.
// Events after the time-travel instant are dimmed.

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { isChargeEventType } from '@/lib/ledger/account/charge';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import type { TimelineEntryViewModel } from '@/lib/view-models';
import { Amount } from '../ui/amount';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Instant } from '../ui/instant';
import { describeEvent, eventTypeLabel } from './event-labels';
import { ReverseChargeDialog } from './movement-dialogs';
import { OpenDisputeDialog } from '../disputes/dispute-dialogs';
import { TableHead } from '@/components/ui/table-head';

interface TimelinePage {
  entries: TimelineEntryViewModel[];
  nextBeforeVersion: number | null;
}

async function fetchOlder(accountId: string, before: number): Promise<TimelinePage> {
  const response = await fetch(
    `/api/accounts/${encodeURIComponent(accountId)}/timeline?before=${before}`,
    { cache: 'no-store' },
  );
  if (!response.ok) throw new Error('Could not load older events.');
  return (await response.json()) as TimelinePage;
}

const TONES: Record<string, 'success' | 'danger' | 'info' | 'warning' | 'neutral'> = {
  balance_corrected: 'warning',
  funds_deposited: 'success',
  transfer_completed: 'success',
  charge_reversed: 'info',
  funds_withdrawn: 'neutral',
  transfer_initiated: 'neutral',
  account_frozen: 'danger',
  account_unfrozen: 'warning',
  funds_held: 'warning',
  held_funds_captured: 'neutral',
  held_funds_released: 'info',
  held_funds_expired: 'info',
  charge_disputed: 'warning',
  provisional_credit_given: 'info',
  disputed_charge_refunded: 'info',
  provisional_credit_reversed: 'neutral',
  charge_dispute_closed: 'warning',
  shortfall_collected: 'neutral',
};

export function Timeline({
  accountId,
  currency,
  firstPage,
  at,
  canReverse,
  canDispute,
  reversalNotice,
}: {
  accountId: string;
  currency: CurrencyCode;
  firstPage: TimelinePage;
  at: string | null;
  canReverse: boolean;
  canDispute: boolean;
  /** What the reversal form says first when the approval policy may hold reversals. */
  reversalNotice?: string | undefined;
}) {
  // Older pages are fetched from where the first page ended when the page was loaded; events are
  // immutable, so pages never go stale, and live refreshes only ever add newer entries.
  const startBefore = useMemo(() => firstPage.nextBeforeVersion, [accountId]); // eslint-disable-line react-hooks/exhaustive-deps
  const older = useInfiniteQuery({
    queryKey: ['timeline', accountId, startBefore],
    queryFn: ({ pageParam }) => fetchOlder(accountId, pageParam as number),
    initialPageParam: startBefore ?? 0,
    getNextPageParam: (page) => page.nextBeforeVersion ?? undefined,
    enabled: false,
  });

  const entries = useMemo(() => {
    const byVersion = new Map<number, TimelineEntryViewModel>();
    for (const entry of [
      ...firstPage.entries,
      ...(older.data?.pages.flatMap((page) => page.entries) ?? []),
    ]) {
      byVersion.set(entry.event.version, entry);
    }
    return [...byVersion.values()].sort((a, b) => b.event.version - a.event.version);
  }, [firstPage, older.data]);

  const lastPage = older.data?.pages[older.data.pages.length - 1];
  const hasOlder = older.data ? lastPage?.nextBeforeVersion != null : startBefore != null;
  const atMs = at ? Date.parse(at) : null;

  if (entries.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
        No events yet.
      </p>
    );
  }

  return (
    <section
      aria-labelledby="timeline-heading"
      className="rounded-lg border border-slate-200 bg-white"
    >
      <h2
        id="timeline-heading"
        className="border-b border-slate-200 px-4 py-3 text-base font-semibold"
      >
        Timeline <span className="text-sm font-normal text-slate-500">(newest first)</span>
      </h2>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="timeline">
          <TableHead
            spacing="compact"
            columns={[
              { label: '#', numeric: true },
              { label: 'When' },
              { label: 'Event' },
              { label: 'Amount', numeric: true },
              { label: 'Balance after', numeric: true },
              { label: 'By' },
              { label: 'Actions', labelHidden: true },
            ]}
          />
          <tbody className="divide-y divide-slate-100">
            {entries.map((entry) => {
              const { event } = entry;
              const isLater = atMs !== null && Date.parse(event.occurredAt) > atMs;
              const remaining = reversibleOf(entry);
              const mayDispute =
                canDispute && remaining !== null && remaining > 0n && !entry.charge?.openDisputeId;
              return (
                <tr
                  key={event.eventId}
                  // Later events are dimmed by colour, not transparency, so their text keeps a
                  // readable contrast: grey on a hatched background, without link and amount colours.
                  className={cn('align-top', isLater && 'dimmed-row')}
                  data-testid="timeline-row"
                  data-event-type={event.type}
                  data-event-id={event.eventId}
                  data-after-instant={isLater ? 'true' : undefined}
                  data-correction={event.type === 'balance_corrected' ? 'true' : undefined}
                >
                  <td className="px-3 py-2 text-right tabular-nums text-slate-500">
                    {event.version}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Instant iso={event.occurredAt} stacked />
                    {isLater ? (
                      <span className="sr-only"> (after the selected instant)</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <Link
                      href={`/events/${event.eventId}`}
                      className="font-medium text-sky-800 underline-offset-2 hover:underline"
                    >
                      <Badge tone={TONES[event.type] ?? 'neutral'}>
                        {eventTypeLabel(event.type)}
                      </Badge>
                    </Link>
                    <div className="mt-1 text-slate-700">{describeEvent(event)}</div>
                    <EventLinks entry={entry} currency={currency} />
                  </td>
                  <td className="px-3 py-2 text-right">
                    {entry.amountDeltaMinor !== '0' ? (
                      <Amount
                        minor={entry.amountDeltaMinor}
                        currency={currency}
                        signed
                        showCurrency={false}
                      />
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <Amount
                      minor={entry.balanceAfterMinor}
                      currency={currency}
                      showCurrency={false}
                    />
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">{event.actorLabel}</td>
                  <td className="px-3 py-2 text-right">
                    <div className="flex flex-wrap justify-end gap-1">
                      {canReverse && remaining !== null && remaining > 0n ? (
                        <ReverseChargeDialog
                          eventId={event.eventId}
                          currency={currency}
                          remainingMinor={remaining.toString()}
                          chargeMinor={String(event.data.amountMinor ?? '0')}
                          approvalNotice={reversalNotice}
                        />
                      ) : null}
                      {mayDispute ? (
                        <OpenDisputeDialog
                          chargeEventId={event.eventId}
                          currency={currency}
                          chargeMinor={String(event.data.amountMinor ?? '0')}
                          reversibleMinor={remaining.toString()}
                        />
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between border-t border-slate-200 px-4 py-3 text-sm">
        <span className="text-slate-500">
          Showing {entries.length} of {entries[0]?.event.version ?? 0} events
        </span>
        {hasOlder ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={() => void (older.data ? older.fetchNextPage() : older.refetch())}
            disabled={older.isFetching}
          >
            {older.isFetching ? 'Loading…' : 'Load older events'}
          </Button>
        ) : null}
      </div>
      {older.isError ? (
        <p role="alert" className="px-4 pb-3 text-sm text-red-700">
          {older.error.message}
        </p>
      ) : null}
    </section>
  );
}

/**
 * What may still be reversed or disputed of a charge: neither given back nor reserved by an open
 * case. Null for events that are not charges.
 */
function reversibleOf(entry: TimelineEntryViewModel): bigint | null {
  if (!isChargeEventType(entry.event.type)) return null;
  if (entry.charge) return BigInt(entry.charge.reversibleMinor);
  if (entry.reversedMinor === null) return null;
  return BigInt(String(entry.event.data.amountMinor ?? '0')) - BigInt(entry.reversedMinor);
}

function EventLinks({
  entry,
  currency,
}: {
  entry: TimelineEntryViewModel;
  currency: CurrencyCode;
}) {
  const { event } = entry;
  const links = [];
  if (event.type === 'transfer_initiated' && typeof event.data.toAccountId === 'string') {
    links.push(
      <Link key="to" href={`/accounts/${event.data.toAccountId}`} className="underline">
        counterparty
      </Link>,
    );
  }
  if (event.type === 'transfer_completed' && typeof event.data.fromAccountId === 'string') {
    links.push(
      <Link key="from" href={`/accounts/${event.data.fromAccountId}`} className="underline">
        counterparty
      </Link>,
    );
  }
  if (event.type === 'charge_reversed' && typeof event.data.originalEventId === 'string') {
    links.push(
      <Link
        key="original"
        href={`/events/${event.data.originalEventId}`}
        className="underline"
        data-testid="reversal-link"
      >
        reverses this charge
      </Link>,
    );
  }
  if (
    isChargeEventType(event.type) &&
    entry.reversedMinor !== null &&
    entry.reversedMinor !== '0'
  ) {
    links.push(
      <Link key="reversals" href={`/events/${event.eventId}`} className="underline">
        <Amount minor={entry.reversedMinor} currency={currency} /> given back
      </Link>,
    );
  }
  const disputeId =
    entry.charge?.openDisputeId ??
    (typeof event.data.disputeId === 'string' ? event.data.disputeId : null);
  if (disputeId) {
    links.push(
      <Link key="dispute" href={`/disputes/${disputeId}`} className="underline">
        {entry.charge?.openDisputeId ? 'disputed: open case' : 'dispute case'}
      </Link>,
    );
  }
  links.push(
    <Link
      key="correlation"
      href={`/events/${event.eventId}#correlated`}
      className="font-mono"
      title={`Correlation id ${event.metadata.correlationId}`}
    >
      corr {event.metadata.correlationId.slice(0, 8)}
    </Link>,
  );
  return <div className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-500">{links}</div>;
}
