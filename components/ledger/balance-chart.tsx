'use client';

// The account's balance over time, from server-downsampled points, with the time-travel instant
// marked. Plain SVG: no chart library, nothing fetched from elsewhere.

import type { CurrencyCode } from '@/lib/ledger/currencies';
import { formatAmount } from '@/lib/ledger/money';
import type { BalancePoint } from '@/lib/view-models';
import { formatUtc } from '@/lib/format-time';

const WIDTH = 800;
const HEIGHT = 180;
const SCALE = 1_000_000n;

export function BalanceChart({
  points,
  currency,
  at,
}: {
  points: BalancePoint[];
  currency: CurrencyCode;
  at: string | null;
}) {
  if (points.length === 0) return null;
  const first = Date.parse(points[0]?.occurredAt ?? '');
  const last = Date.parse(points[points.length - 1]?.occurredAt ?? '');
  const span = Math.max(1, last - first);
  let max = 0n;
  for (const point of points)
    if (BigInt(point.balanceMinor) > max) max = BigInt(point.balanceMinor);
  const top = max === 0n ? 1n : max;
  const x = (iso: string) => ((Date.parse(iso) - first) / span) * WIDTH;
  // Scale with bigint arithmetic: balances may exceed what a float holds exactly.
  const y = (minor: string) =>
    HEIGHT - (Number((BigInt(minor) * SCALE) / top) / Number(SCALE)) * (HEIGHT - 8) - 4;
  let path = '';
  for (const point of points) {
    const pointX = x(point.occurredAt).toFixed(1);
    const pointY = y(point.balanceMinor).toFixed(1);
    // A balance holds until the next event: draw steps, not slopes.
    path += path === '' ? `M${pointX},${pointY}` : `H${pointX}V${pointY}`;
  }
  const markerX = at ? Math.min(WIDTH, Math.max(0, x(at))) : null;
  const latest = points[points.length - 1];
  const summary = `Balance over time from ${formatUtc(points[0]?.occurredAt ?? '')} to ${formatUtc(latest?.occurredAt ?? '')}; highest ${formatAmount(max, currency, { grouping: true })} ${currency}, latest ${formatAmount(BigInt(latest?.balanceMinor ?? '0'), currency, { grouping: true })} ${currency}.${at ? ` Marked instant: ${formatUtc(at)}.` : ''}`;

  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-800">Balance over time</span>
        <span className="text-xs text-slate-500">
          max {formatAmount(max, currency, { grouping: true })} {currency} · {points.length} samples
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-44 w-full"
        role="img"
        aria-label={summary}
      >
        <line
          x1="0"
          x2={WIDTH}
          y1={HEIGHT - 4}
          y2={HEIGHT - 4}
          className="stroke-slate-200"
          strokeWidth="1"
        />
        <path
          d={path}
          fill="none"
          className="stroke-slate-800"
          strokeWidth="1.5"
          vectorEffect="non-scaling-stroke"
        />
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
      </svg>
      <div className="mt-1 flex justify-between text-xs text-slate-500 tabular-nums">
        <span>{formatUtc(points[0]?.occurredAt ?? '').slice(0, 10)}</span>
        <span>{formatUtc(latest?.occurredAt ?? '').slice(0, 10)}</span>
      </div>
    </figure>
  );
}
