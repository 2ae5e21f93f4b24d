'use client';

// The account's balance over time, from server-downsampled points, with the time-travel instant
// marked, a y-axis of round amounts and a read-out of the balance under the pointer. Plain SVG:
// no chart library, nothing fetched from elsewhere. Amounts stay bigint until they become pixels.

import { useRef, useState, type PointerEvent } from 'react';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { formatAmount } from '@/lib/ledger/money';
import type { BalancePoint } from '@/lib/view-models';
import { formatUtc } from '@/lib/format-time';
import { yAxisTicks } from '@/lib/chart-ticks';

const WIDTH = 800;
const HEIGHT = 180;
const PAD = 4;
const SCALE = 1_000_000n;
/** The sample in effect at `instant`: the last one at or before it (a balance holds until the next event). */
function pointAt(points: readonly BalancePoint[], instant: number): BalancePoint | undefined {
  let low = 0;
  let high = points.length - 1;
  let found: BalancePoint | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const point = points[middle] as BalancePoint;
    if (Date.parse(point.occurredAt) <= instant) {
      found = point;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

export function BalanceChart({
  points,
  currency,
  at,
}: {
  points: BalancePoint[];
  currency: CurrencyCode;
  at: string | null;
}) {
  const area = useRef<HTMLDivElement>(null);
  const [hoverX, setHoverX] = useState<number | null>(null);
  if (points.length === 0) return null;
  const first = Date.parse(points[0]?.occurredAt ?? '');
  const last = Date.parse(points[points.length - 1]?.occurredAt ?? '');
  const span = Math.max(1, last - first);
  let max = 0n;
  for (const point of points) {
    if (BigInt(point.balanceMinor) > max) max = BigInt(point.balanceMinor);
    if (BigInt(point.shownThenMinor) > max) max = BigInt(point.shownThenMinor);
  }
  // Where a backdated correction makes the two time axes disagree, both lines are drawn.
  const corrected = points.some((point) => point.balanceMinor !== point.shownThenMinor);
  const ticks = yAxisTicks(max);
  const top = ticks[ticks.length - 1] as bigint;
  const x = (instant: number) => ((instant - first) / span) * WIDTH;
  // Scale with bigint arithmetic: balances may exceed what a float holds exactly.
  const y = (minor: bigint) =>
    HEIGHT - PAD - (Number((minor * SCALE) / top) / Number(SCALE)) * (HEIGHT - 2 * PAD);
  const stepsOf = (minorOf: (point: BalancePoint) => string) => {
    let path = '';
    for (const point of points) {
      const pointX = x(Date.parse(point.occurredAt)).toFixed(1);
      const pointY = y(BigInt(minorOf(point))).toFixed(1);
      // A balance holds until the next event: draw steps, not slopes.
      path += path === '' ? `M${pointX},${pointY}` : `H${pointX}V${pointY}`;
    }
    return path;
  };
  const path = stepsOf((point) => point.balanceMinor);
  const shownThenPath = corrected ? stepsOf((point) => point.shownThenMinor) : null;
  const markerX = at ? Math.min(WIDTH, Math.max(0, x(Date.parse(at)))) : null;
  const latest = points[points.length - 1];
  const summary = `Balance over time from ${formatUtc(points[0]?.occurredAt ?? '')} to ${formatUtc(latest?.occurredAt ?? '')}; highest ${formatAmount(max, currency, { grouping: true })} ${currency}, latest ${formatAmount(BigInt(latest?.balanceMinor ?? '0'), currency, { grouping: true })} ${currency}.${at ? ` Marked instant: ${formatUtc(at)}.` : ''}`;

  const hovered = hoverX === null ? undefined : pointAt(points, first + (hoverX / WIDTH) * span);
  const hoveredInstant = hoverX === null ? null : new Date(first + (hoverX / WIDTH) * span);

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const box = area.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    const ratio = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    setHoverX(ratio * WIDTH);
  }

  const amount = (minor: bigint) => formatAmount(minor, currency, { grouping: true });
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-800">Balance over time ({currency})</span>
        <span className="text-xs text-slate-500">
          max {amount(max)} {currency} · {points.length} samples
          {corrected ? ' · solid: as we know it now · dashed: as Chronicle showed it then' : ''}
        </span>
      </figcaption>
      <div className="flex gap-2">
        {/* The y-axis labels are HTML beside the SVG, which stretches: text in it would too. */}
        <div
          className="relative h-44 w-20 shrink-0 text-right text-xs text-slate-500 tabular-nums"
          aria-hidden="true"
        >
          {ticks.map((tick) => (
            <span
              key={tick.toString()}
              className="absolute right-0 -translate-y-1/2"
              style={{ top: `${(y(tick) / HEIGHT) * 100}%` }}
              data-testid="chart-y-tick"
            >
              {amount(tick)}
            </span>
          ))}
        </div>
        <div
          ref={area}
          className="relative grow"
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHoverX(null)}
          data-testid="balance-chart-area"
        >
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            className="h-44 w-full"
            role="img"
            aria-label={summary}
          >
            {ticks.map((tick) => (
              <line
                key={tick.toString()}
                x1="0"
                x2={WIDTH}
                y1={y(tick)}
                y2={y(tick)}
                className={tick === 0n ? 'stroke-slate-300' : 'stroke-slate-100'}
                strokeWidth="1"
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {shownThenPath ? (
              <path
                d={shownThenPath}
                fill="none"
                className="stroke-amber-500"
                strokeWidth="1.5"
                strokeDasharray="5 4"
                vectorEffect="non-scaling-stroke"
                data-testid="chart-shown-then"
              />
            ) : null}
            <path
              d={path}
              fill="none"
              className="stroke-slate-800"
              strokeWidth="1.5"
              vectorEffect="non-scaling-stroke"
            />
            {points
              .filter((point) => point.correction)
              .map((point) => (
                <rect
                  key={`correction-${point.occurredAt}-${point.version}`}
                  data-testid="chart-correction"
                  x={x(Date.parse(point.occurredAt)) - 1}
                  y="0"
                  width="2"
                  height={HEIGHT}
                  className="fill-amber-400/60"
                />
              ))}
            {markerX !== null ? (
              <rect
                data-testid="chart-marker"
                x={Math.max(0, markerX - 1.5)}
                y="0"
                width="3"
                height={HEIGHT}
                className="fill-sky-600/70"
              />
            ) : null}
            {hoverX !== null ? (
              <line
                x1={hoverX}
                x2={hoverX}
                y1="0"
                y2={HEIGHT}
                className="stroke-slate-400"
                strokeWidth="1"
                strokeDasharray="3 3"
                vectorEffect="non-scaling-stroke"
              />
            ) : null}
          </svg>
        </div>
      </div>
      <div className="mt-1 flex justify-between pl-22 text-xs text-slate-500 tabular-nums">
        <span>{formatUtc(points[0]?.occurredAt ?? '').slice(0, 10)}</span>
        <span>{formatUtc(latest?.occurredAt ?? '').slice(0, 10)}</span>
      </div>
      <p className="mt-1 min-h-5 text-xs text-slate-600 tabular-nums" data-testid="chart-readout">
        {hoveredInstant && hovered ? (
          <>
            {formatUtc(hoveredInstant.toISOString())}:{' '}
            <strong className="text-slate-900">
              {amount(BigInt(hovered.balanceMinor))} {currency}
            </strong>
            {hovered.shownThenMinor !== hovered.balanceMinor ? (
              <>
                {' '}
                as we know it now; Chronicle showed{' '}
                <strong className="text-amber-800">
                  {amount(BigInt(hovered.shownThenMinor))} {currency}
                </strong>{' '}
                then
              </>
            ) : null}{' '}
            (since the event at {formatUtc(hovered.occurredAt)})
          </>
        ) : (
          'Point at the chart to read the balance at any instant.'
        )}
      </p>
    </figure>
  );
}
