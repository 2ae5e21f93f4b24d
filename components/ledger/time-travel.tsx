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
//
// Every step shows its headline at once, from the balance history kept in the browser
// (use-balance-history.ts, docs/decisions/015-instant-slider.md); the server's as-of answer
// brings the details (holds, the event's link) a moment later, and is the whole answer wherever
// the history is not loaded yet.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { flushSync } from 'react-dom';
import {
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import type { TimeStep } from '@/lib/schemas/time-travel';
import { adjacentInstant, lookupAt } from '@/lib/time-travel/balance-history';
import { Button } from '../ui/button';
import { formatUtc } from '@/lib/format-time';
import { asOfViewOf, AsOfSummary, type AsOfAnswer } from './as-of-summary';
import { useBalanceHistory } from './use-balance-history';

type AsOfResponse = AsOfAnswer;

/** How long the slider rests on an instant before its details are asked of the server. */
const DETAILS_DELAY_MS = 120;

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
  headVersion,
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
  /** The account's version as the page last read it: when it grows, the history is extended. */
  headVersion: number;
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

  const shown = dragAt ?? at;
  const shownMs = shown ? Date.parse(shown) : null;
  const history = useBalanceHistory({ accountId, headVersion, positionMs: shownMs });
  const local = history && shownMs !== null ? lookupAt(history, shownMs) : null;
  const isLocal = local !== null && local.kind !== 'unknown';

  // The details (and, where the history is not loaded, everything) come from the server once the
  // slider rests on an instant.
  const [restingAt, setRestingAt] = useState(at);
  useEffect(() => {
    const timer = setTimeout(() => setRestingAt(at), DETAILS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [at]);
  const detailsAt = isLocal ? restingAt : at;
  const asOf = useQuery({
    queryKey: ['as-of', accountId, detailsAt],
    queryFn: () => fetchAsOf(accountId, `at=${encodeURIComponent(detailsAt ?? '')}`),
    enabled: detailsAt !== null,
    initialData: initial && initial.at === detailsAt ? initial : undefined,
    staleTime: Infinity,
  });
  const answer = asOf.data && asOf.data.at === shown ? asOf.data : undefined;
  const view = shown ? asOfViewOf(local, answer) : undefined;

  const value = shownMs !== null ? Math.min(max, Math.max(min, shownMs)) : max;
  const percent = ((value - min) / (max - min)) * 100;

  function instantAt(clientX: number): string {
    const box = track.current?.getBoundingClientRect();
    if (!box) return new Date(max).toISOString();
    const ratio = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return new Date(Math.round(min + ratio * (max - min))).toISOString();
  }

  async function step(direction: TimeStep) {
    setStepError(null);
    if (history) {
      const stepped = adjacentInstant(history, at === null ? null : Date.parse(at), direction);
      if (stepped === null) return;
      if (stepped !== undefined) {
        onChange(new Date(stepped).toISOString());
        return;
      }
    }
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

  // Pointer events are continuous: React would render them after the frame they arrive in. The
  // headline comes from the local history and costs little, so render it within this frame.
  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    const chosen = instantAt(event.clientX);
    flushSync(() => setDragAt(chosen));
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (dragAt === null) return;
    const chosen = instantAt(event.clientX);
    flushSync(() => setDragAt(chosen));
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

  return (
    <section
      aria-labelledby="time-travel-heading"
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-history-windows={
        history ? `${history.windows.size}/${history.windowStartsMs.length}` : undefined
      }
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
        {shown === null ? (
          <p>
            Showing the present. Drag the slider, use the arrow keys or type an instant to see the
            account as it was.
          </p>
        ) : view === null ? (
          <p>The account did not exist yet at {formatUtc(shown)}.</p>
        ) : view !== undefined ? (
          <AsOfSummary at={shown} view={view} showThen={known === 'then'} currency={currency} />
        ) : asOf.isError && detailsAt === shown ? (
          <p className="text-red-700">{asOf.error.message}</p>
        ) : (
          <p>Loading the account as of {formatUtc(shown)}…</p>
        )}
      </div>
    </section>
  );
}
