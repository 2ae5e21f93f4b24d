'use client';

// The time-travel slider: drag across the account's lifetime, step event by event with the arrow
// keys (Home and End jump to the first and last event), or type an exact instant. It shows the
// posted balance, what holds reserved and what was available, the holds themselves, the frozen
// state and version as of that instant. The position lives in the URL
// (?at=2026-03-15T14:47:00.000Z), so a link reopens the same view.
//
// Two time axes: the slider is effective time (what had happened by then). A switch chooses
// between "as we know it now" (backdated corrections recorded later included at their effective
// instants) and "as Chronicle showed it then" (only what had been recorded by that instant,
// &knownAt= in the URL); where the two differ, both values are shown.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRef, useState, type FormEvent, type KeyboardEvent, type PointerEvent } from 'react';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import type { TimeStep } from '@/lib/schemas/time-travel';
import type { AsOfViewModel } from '@/lib/view-models';
import { Amount } from '../ui/amount';
import { Button } from '../ui/button';
import { formatUtc } from '@/lib/format-time';
import { eventTypeLabel } from './event-labels';
import { AccountStatusBadge } from './account-status-badge';

interface AsOfResponse {
  at: string;
  /** As we know it now. */
  asOf: AsOfViewModel | null;
  /** As Chronicle showed it then: only what had been recorded by `at`. */
  asShownThen: AsOfViewModel | null;
}

export type KnownAxis = 'now' | 'then';

const KNOWN_AXES: ReadonlyArray<readonly [KnownAxis, string]> = [
  ['now', 'As we know it now'],
  ['then', 'As Chronicle showed it then'],
];

async function fetchAsOf(accountId: string, query: string): Promise<AsOfResponse> {
  const response = await fetch(`/api/accounts/${encodeURIComponent(accountId)}/as-of?${query}`, {
    cache: 'no-store',
  });
  const body = (await response.json()) as AsOfResponse & { error?: { message: string } };
  if (!response.ok)
    throw new Error(body.error?.message ?? 'Could not load the account at that instant.');
  return body;
}

export function TimeTravel({
  accountId,
  currency,
  firstEventAt,
  lastEventAt,
  at,
  onChange,
  known,
  onKnownChange,
  initial,
}: {
  accountId: string;
  currency: CurrencyCode;
  firstEventAt: string;
  lastEventAt: string;
  at: string | null;
  onChange: (at: string | null) => void;
  known: KnownAxis;
  onKnownChange: (known: KnownAxis) => void;
  initial: AsOfResponse | null;
}) {
  const queryClient = useQueryClient();
  const track = useRef<HTMLDivElement>(null);
  const [dragAt, setDragAt] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const [stepError, setStepError] = useState<string | null>(null);
  const min = Date.parse(firstEventAt);
  const max = Math.max(Date.parse(lastEventAt), min + 1);

  const asOf = useQuery({
    queryKey: ['as-of', accountId, at],
    queryFn: () => fetchAsOf(accountId, `at=${encodeURIComponent(at ?? '')}`),
    enabled: at !== null,
    initialData: initial && initial.at === at ? initial : undefined,
    staleTime: Infinity,
  });

  const shown = dragAt ?? at;
  const value = shown ? Math.min(max, Math.max(min, Date.parse(shown))) : max;
  const percent = ((value - min) / (max - min)) * 100;

  function instantAt(clientX: number): string {
    const box = track.current?.getBoundingClientRect();
    if (!box) return new Date(max).toISOString();
    const ratio = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return new Date(Math.round(min + ratio * (max - min))).toISOString();
  }

  async function step(direction: TimeStep) {
    setStepError(null);
    const from = at ?? (direction === 'previous' ? new Date(max + 1).toISOString() : lastEventAt);
    if (direction === 'next' && at === null) return;
    try {
      const result = await fetchAsOf(accountId, `at=${encodeURIComponent(from)}&step=${direction}`);
      queryClient.setQueryData(['as-of', accountId, result.at], result);
      onChange(result.at);
    } catch (error) {
      setStepError(error instanceof Error ? error.message : 'Could not step to the next event.');
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const keys: Record<string, TimeStep> = {
      ArrowLeft: 'previous',
      ArrowDown: 'previous',
      ArrowRight: 'next',
      ArrowUp: 'next',
      Home: 'first',
      End: 'last',
    };
    const direction = keys[event.key];
    if (!direction) return;
    event.preventDefault();
    void step(direction);
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    setDragAt(instantAt(event.clientX));
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (dragAt !== null) setDragAt(instantAt(event.clientX));
  }

  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    if (dragAt === null) return;
    const chosen = instantAt(event.clientX);
    setDragAt(null);
    onChange(chosen);
  }

  function onSubmitTyped(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = utcInstantSchema.safeParse(typed);
    if (!parsed.success) {
      setTypedError(parsed.error.issues[0]?.message ?? 'Use ISO 8601, e.g. 2026-03-15T14:47:00Z.');
      return;
    }
    setTypedError(null);
    onChange(parsed.data.toISOString());
  }

  const now = asOf.data?.asOf ?? null;
  const then = asOf.data?.asShownThen ?? null;
  const result = known === 'then' ? then : now;
  const other = known === 'then' ? now : then;
  const differs =
    (now?.account.balanceMinor ?? null) !== (then?.account.balanceMinor ?? null) && at !== null;
  return (
    <section
      aria-labelledby="time-travel-heading"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="time-travel-heading" className="text-base font-semibold">
          Time travel
        </h2>
        <p className="text-xs text-slate-500" id="time-axis-note">
          Time axis: <strong>effective time</strong> — when each movement took effect, in UTC.
        </p>
      </div>
      <fieldset className="mt-3 flex flex-wrap items-center gap-4 text-sm" data-testid="known-axis">
        <legend className="sr-only">Which history to show</legend>
        {KNOWN_AXES.map(([axis, label]) => (
          <label key={axis} className="inline-flex items-center gap-1.5">
            <input
              type="radio"
              name="known-axis"
              value={axis}
              checked={known === axis}
              onChange={() => onKnownChange(axis)}
            />
            {label}
          </label>
        ))}
        <span className="text-xs text-slate-500">
          {known === 'then'
            ? 'Only what had been recorded by the chosen instant: corrections recorded later are left out.'
            : 'Backdated corrections count from their effective instant, even if recorded later.'}
        </span>
      </fieldset>

      <div className="mt-4 px-2">
        <div
          ref={track}
          className="relative h-8 cursor-pointer touch-none select-none"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          data-testid="time-travel-track"
        >
          <div className="absolute left-0 right-0 top-1/2 h-1.5 -translate-y-1/2 rounded-full bg-slate-200" />
          <div
            className="absolute left-0 top-1/2 h-1.5 -translate-y-1/2 rounded-full bg-sky-600"
            style={{ width: `${percent}%` }}
          />
          <div
            role="slider"
            tabIndex={0}
            aria-label="Point in time to view the account at"
            aria-describedby="time-axis-note time-travel-help"
            aria-valuemin={min}
            aria-valuemax={max}
            aria-valuenow={value}
            aria-valuetext={
              shown ? formatUtc(shown) : `Now (latest event ${formatUtc(lastEventAt)})`
            }
            onKeyDown={onKeyDown}
            className="absolute top-1/2 h-5 w-5 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-sky-700 shadow focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
            style={{ left: `${percent}%` }}
            data-testid="time-travel-slider"
          />
        </div>
        <div className="mt-1 flex justify-between text-xs text-slate-500 tabular-nums">
          <span>{formatUtc(firstEventAt)}</span>
          <span>{formatUtc(lastEventAt)}</span>
        </div>
        <p id="time-travel-help" className="sr-only">
          Use the left and right arrow keys to step from event to event, Home for the first event
          and End for the last.
        </p>
      </div>

      <form onSubmit={onSubmitTyped} className="mt-3 flex flex-wrap items-end gap-2" noValidate>
        <div className="grow">
          <label htmlFor="time-travel-instant" className="block text-xs font-medium text-slate-700">
            Exact instant (UTC, ISO 8601)
          </label>
          <input
            id="time-travel-instant"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            placeholder="2026-03-15T14:47:00Z"
            aria-invalid={typedError ? true : undefined}
            aria-describedby={typedError ? 'time-travel-instant-error' : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm tabular-nums"
          />
        </div>
        <Button type="submit" size="sm" variant="secondary">
          Go
        </Button>
        <Button size="sm" variant="ghost" onClick={() => onChange(null)} disabled={at === null}>
          Back to now
        </Button>
        {typedError ? (
          <p id="time-travel-instant-error" role="alert" className="w-full text-sm text-red-700">
            {typedError}
          </p>
        ) : null}
      </form>

      <div
        className="mt-4 rounded-md bg-slate-50 p-3 text-sm"
        aria-live="polite"
        data-testid="as-of-summary"
      >
        {stepError ? <p className="text-red-700">{stepError}</p> : null}
        {at === null ? (
          <p>
            Showing the present. Drag the slider, use the arrow keys or type an instant to see the
            account as it was.
          </p>
        ) : asOf.isPending ? (
          <p>Loading the account as of {formatUtc(at)}…</p>
        ) : asOf.isError ? (
          <p className="text-red-700">{asOf.error.message}</p>
        ) : result === null ? (
          <p>
            {known === 'then' && now !== null
              ? `Chronicle had no record of the account yet at ${formatUtc(at)}.`
              : `The account did not exist yet at ${formatUtc(at)}.`}
          </p>
        ) : (
          <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
            <div className="col-span-2 sm:col-span-3 lg:col-span-6">
              <dt className="sr-only">As of</dt>
              <dd className="font-medium">
                As of {formatUtc(at, true)}
                {known === 'then' ? ', as Chronicle showed it then' : ', as we know it now'}
              </dd>
            </div>
            {differs ? (
              <div className="col-span-2 rounded-md bg-amber-50 p-2 text-amber-900 sm:col-span-3 lg:col-span-6">
                <dt className="sr-only">Correction recorded later</dt>
                <dd data-testid="as-of-correction-note">
                  A backdated correction recorded later changes this instant&apos;s balance:{' '}
                  {known === 'then' ? 'as we know it now it is ' : 'Chronicle showed '}
                  <span data-testid="as-of-other-balance">
                    {other ? (
                      <Amount minor={other.account.balanceMinor} currency={currency} />
                    ) : (
                      'no record'
                    )}
                  </span>
                  {known === 'then' ? '.' : ' then.'}
                </dd>
              </div>
            ) : null}
            <div>
              <dt className="text-xs text-slate-500">Balance then</dt>
              <dd data-testid="as-of-balance">
                <Amount
                  minor={result.account.balanceMinor}
                  currency={currency}
                  className="text-base font-semibold"
                />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Held then</dt>
              <dd data-testid="as-of-held">
                <Amount minor={result.account.heldMinor} currency={currency} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Available then</dt>
              <dd data-testid="as-of-available">
                <Amount
                  minor={result.account.availableMinor}
                  currency={currency}
                  className="font-semibold"
                />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Status then</dt>
              <dd>
                <AccountStatusBadge frozen={result.account.frozen} />
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Version then</dt>
              <dd className="tabular-nums" data-testid="as-of-version">
                {result.account.version}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Last event applied</dt>
              <dd>
                <Link
                  className="text-sky-800 underline"
                  href={`/events/${result.lastEvent.eventId}`}
                >
                  {eventTypeLabel(result.lastEvent.type)}
                </Link>{' '}
                <span className="text-xs text-slate-500">
                  {formatUtc(result.lastEvent.occurredAt)}
                </span>
              </dd>
            </div>
            <div className="col-span-2 sm:col-span-3 lg:col-span-6">
              <dt className="text-xs text-slate-500">Holds reserving funds then</dt>
              <dd data-testid="as-of-holds">
                {result.holds.length === 0 ? (
                  'none'
                ) : (
                  <ul className="mt-1 space-y-0.5">
                    {result.holds.map((hold) => (
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
        )}
      </div>
    </section>
  );
}
