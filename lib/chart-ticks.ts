// Round values for a chart's y-axis, in minor units: exact for any balance (bigint throughout).

/** At most this many gridlines above zero. */
const MAX_TICKS = 4;

/**
 * Round gridline values from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten (in
 * minor units), the smallest that needs no more than MAX_TICKS lines.
 */
export function yAxisTicks(max: bigint): bigint[] {
  if (max <= 0n) return [0n, 1n];
  let magnitude = 1n;
  while (magnitude * 10n * BigInt(MAX_TICKS) < max) magnitude *= 10n;
  const step =
    [1n, 2n, 5n, 10n]
      .map((factor) => factor * magnitude)
      .find((candidate) => candidate * BigInt(MAX_TICKS) >= max) ?? 10n * magnitude;
  const ticks: bigint[] = [];
  for (let value = 0n; ; value += step) {
    ticks.push(value);
    if (value >= max) break;
  }
  return ticks;
}
