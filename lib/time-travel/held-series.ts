// What an account's holds reserve over time, as a step function: the same rule getAccountAt
// applies at one instant (lib/server/queries/get-account-at.ts), evaluated at every instant where
// it can change. A hold reserves at t when it was placed by t, its last history row at or before
// t leaves it active, and it has no expiry or expires after t; it then reserves its amount less
// what had been captured by t. Every such function only changes at the hold's placement, its
// history rows and its expiry, and holds from that instant on — so the sum does too.

import type { HeldPoint } from './balance-history-format';

export interface HoldWithHistory {
  readonly amountMinor: bigint;
  readonly placedMs: number;
  readonly expiresMs: number | null;
  /** Its hold_history rows, ordered by (occurred at, version). */
  readonly history: ReadonlyArray<{
    readonly occurredMs: number;
    readonly capturedAfterMinor: bigint;
    readonly isActiveAfter: boolean;
  }>;
}

/** What one hold reserves at `ms`. */
export function reservedBy(hold: HoldWithHistory, ms: number): bigint {
  if (hold.placedMs > ms) return 0n;
  if (hold.expiresMs !== null && hold.expiresMs <= ms) return 0n;
  let last: HoldWithHistory['history'][number] | undefined;
  for (const row of hold.history) {
    if (row.occurredMs > ms) break;
    last = row;
  }
  if (!last || !last.isActiveAfter) return 0n;
  return hold.amountMinor - last.capturedAfterMinor;
}

/**
 * What the holds reserve at `startMs`, and every change after it and before `endMs` (null: no
 * end), with the amount reserved from then on.
 */
export function heldSeries(
  holds: readonly HoldWithHistory[],
  startMs: number,
  endMs: number | null,
): { startMinor: bigint; points: HeldPoint[] } {
  const deltas = new Map<number, bigint>();
  let startMinor = 0n;
  for (const hold of holds) {
    const instants = new Set<number>([hold.placedMs]);
    for (const row of hold.history) instants.add(row.occurredMs);
    if (hold.expiresMs !== null) instants.add(hold.expiresMs);
    let previous = 0n;
    for (const ms of [...instants].sort((a, b) => a - b)) {
      const reserved = reservedBy(hold, ms);
      if (reserved !== previous) deltas.set(ms, (deltas.get(ms) ?? 0n) + reserved - previous);
      previous = reserved;
    }
    startMinor += reservedBy(hold, startMs);
  }
  const points: HeldPoint[] = [];
  let running = startMinor;
  for (const ms of [...deltas.keys()].sort((a, b) => a - b)) {
    if (ms <= startMs || (endMs !== null && ms >= endMs)) continue;
    const delta = deltas.get(ms) as bigint;
    if (delta === 0n) continue;
    running += delta;
    points.push({ ms, heldMinor: running });
  }
  return { startMinor, points };
}
