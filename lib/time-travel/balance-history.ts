// An account's balance history as the browser holds it: the directory of windows, every backdated
// correction, and the windows loaded so far. Answers "what did the slider's headline say at this
// instant?" on both time axes with a few binary searches, exactly as getAccountAt answers it on
// the server (lib/server/queries/get-account-at.ts) — or says it does not know (that window is not
// loaded yet), and the slider asks the server.

import {
  BALANCE_HISTORY_FORMAT,
  decodeBigInts,
  decodeNumbers,
  decodeWindow,
  type BalanceHistoryHeadWire,
  type BalanceHistoryWindowWire,
  type DecodedWindow,
} from './balance-history-format';
import type { TimeStep } from '../schemas/time-travel';

export interface BalanceHistory {
  readonly accountId: string;
  readonly windowSize: number;
  readonly headVersion: number;
  /** The first instant of each window. */
  readonly windowStartsMs: Float64Array;
  /** Corrections by effective instant, with the running sum of their deltas. */
  readonly effectiveMs: Float64Array;
  readonly effectiveSumMinor: BigInt64Array;
  /** Corrections by the instant they entered the ledger, with the running sum. */
  readonly recordedMs: Float64Array;
  readonly recordedSumMinor: BigInt64Array;
  readonly windows: ReadonlyMap<number, DecodedWindow>;
}

/** The headline on one time axis. */
export interface HeadlineAt {
  readonly balanceMinor: bigint;
  readonly heldMinor: bigint;
  readonly availableMinor: bigint;
}

export type HistoryLookup =
  /** Not loaded here: ask the server. */
  | { readonly kind: 'unknown' }
  /** Before the account's first event: it did not exist yet. */
  | { readonly kind: 'before_first' }
  | {
      readonly kind: 'known';
      readonly version: number;
      readonly eventType: string;
      readonly occurredMs: number;
      readonly isFrozen: boolean;
      readonly owedMinor: bigint;
      /** As we know it now (corrections at their effective instants). */
      readonly now: HeadlineAt;
      /** As Chronicle showed it then (only what had been entered by the instant). */
      readonly then: HeadlineAt;
    };

function sortedWithSums(keys: Float64Array, deltas: BigInt64Array) {
  const order = [...keys.keys()].sort((a, b) => (keys[a] as number) - (keys[b] as number));
  const sortedKeys = new Float64Array(order.length);
  const sums = new BigInt64Array(order.length);
  let running = 0n;
  order.forEach((from, to) => {
    running += deltas[from] as bigint;
    sortedKeys[to] = keys[from] as number;
    sums[to] = running;
  });
  return { sortedKeys, sums };
}

/** Throws on anything malformed or of another format. */
export function historyFromHead(head: BalanceHistoryHeadWire): BalanceHistory {
  if (head.format !== BALANCE_HISTORY_FORMAT) throw new Error('Unknown balance history format.');
  const effective = decodeNumbers(head.corrections.effectiveMs);
  const recorded = decodeNumbers(head.corrections.recordedMs);
  const deltas = decodeBigInts(head.corrections.deltaMinor);
  if (effective.length !== deltas.length || recorded.length !== deltas.length)
    throw new Error('The correction columns differ in length.');
  // A correction takes effect at or before it is entered (a CHECK in the database). The axis
  // "as shown then" relies on it: entered by t implies in effect by t.
  effective.forEach((ms, index) => {
    if (ms > (recorded[index] as number)) throw new Error('A correction effective after entry.');
  });
  const byEffective = sortedWithSums(effective, deltas);
  const byRecorded = sortedWithSums(recorded, deltas);
  const windowStartsMs = decodeNumbers(head.windowStartsMs);
  const history: BalanceHistory = {
    accountId: head.accountId,
    windowSize: head.windowSize,
    headVersion: head.headVersion,
    windowStartsMs,
    effectiveMs: byEffective.sortedKeys,
    effectiveSumMinor: byEffective.sums,
    recordedMs: byRecorded.sortedKeys,
    recordedSumMinor: byRecorded.sums,
    windows: new Map(),
  };
  return withWindow(history, head.window);
}

/** The history with one more (or a fresher) window. Windows of another size are ignored. */
export function withWindow(
  history: BalanceHistory,
  wire: BalanceHistoryWindowWire,
): BalanceHistory {
  if (wire.windowSize !== history.windowSize) return history;
  const window = decodeWindow(wire);
  const windows = new Map(history.windows);
  windows.set(window.index, window);
  return { ...history, windows };
}

/** The last index whose value is at or before `ms`, or -1. */
function lastAtOrBefore(values: Float64Array, ms: number, from = 0, to = values.length): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) <= ms) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function sumUpTo(keys: Float64Array, sums: BigInt64Array, ms: number): bigint {
  const index = lastAtOrBefore(keys, ms);
  return index < 0 ? 0n : (sums[index] as bigint);
}

/** As lib/server/aggregates/account/account-record.ts availableMinorOf. */
function headlineOf(balanceMinor: bigint, heldMinor: bigint, owedMinor: bigint): HeadlineAt {
  const unreserved = balanceMinor - heldMinor;
  return {
    balanceMinor,
    heldMinor,
    availableMinor: unreserved > owedMinor ? unreserved - owedMinor : 0n,
  };
}

/** The window holding the last row at or before `ms`, when loaded; -1 before the first event. */
function windowAt(history: BalanceHistory, ms: number): DecodedWindow | null | -1 {
  const index = lastAtOrBefore(history.windowStartsMs, ms);
  if (index < 0) return -1;
  const window = history.windows.get(index);
  if (!window || ms >= window.endMs) return null;
  // The last window read before more windows began says nothing past the next window's start.
  const nextStart = history.windowStartsMs[index + 1];
  if (window.endMs === Infinity && nextStart !== undefined) return null;
  return window;
}

/** The slider's headline at instant `ms`, on both axes. */
export function lookupAt(history: BalanceHistory, ms: number): HistoryLookup {
  const window = windowAt(history, ms);
  if (window === -1) return { kind: 'before_first' };
  if (window === null) return { kind: 'unknown' };
  const row = lastAtOrBefore(window.occurredMs, ms);
  if (row < 0) return { kind: 'unknown' };
  const held = lastAtOrBefore(window.heldMs, ms);
  const heldMinor = held < 0 ? window.heldStartMinor : (window.heldMinor[held] as bigint);
  const baseMinor = window.baseMinor[row] as bigint;
  const owedMinor = window.owedMinor[row] as bigint;
  const nowMinor = baseMinor + sumUpTo(history.effectiveMs, history.effectiveSumMinor, ms);
  const thenMinor = baseMinor + sumUpTo(history.recordedMs, history.recordedSumMinor, ms);
  return {
    kind: 'known',
    version: window.versions[row] as number,
    eventType: window.eventTypes[window.types[row] as number] as string,
    occurredMs: window.occurredMs[row] as number,
    isFrozen: window.frozen[row] === 1,
    owedMinor,
    now: headlineOf(nowMinor, heldMinor, owedMinor),
    then: headlineOf(thenMinor, heldMinor, owedMinor),
  };
}

/**
 * The instant of the event next to `fromMs` (null: the present) in the direction of `step`, as
 * lib/server/queries/find-adjacent-instant.ts finds it: null when there is none that way,
 * undefined when the windows needed are not loaded (ask the server).
 */
export function adjacentInstant(
  history: BalanceHistory,
  fromMs: number | null,
  step: TimeStep,
): number | null | undefined {
  const starts = history.windowStartsMs;
  if (starts.length === 0) return null;
  if (step === 'first') return starts[0] as number;
  if (step === 'last' || (step === 'previous' && fromMs === null)) {
    const last = history.windows.get(starts.length - 1);
    if (!last || last.endMs !== Infinity || last.occurredMs.length === 0) return undefined;
    return last.occurredMs[last.occurredMs.length - 1] as number;
  }
  if (fromMs === null) return null;
  const window = windowAt(history, fromMs);
  if (step === 'next') {
    if (window === -1) return starts[0] as number;
    if (window === null) return undefined;
    const row = lastAtOrBefore(window.occurredMs, fromMs);
    const following = window.occurredMs[row + 1];
    if (following !== undefined) return following;
    const nextStart = starts[window.index + 1];
    if (nextStart !== undefined) return nextStart > fromMs ? nextStart : undefined;
    return window.endMs === Infinity ? null : undefined;
  }
  if (window === -1) return null;
  if (window === null) return undefined;
  // previous: the last event strictly before fromMs, possibly in the windows before.
  for (let index = window.index; index >= 0; index -= 1) {
    const candidate = history.windows.get(index);
    if (!candidate) return undefined;
    const row = lastAtOrBefore(candidate.occurredMs, fromMs - 1);
    if (row >= 0) return candidate.occurredMs[row] as number;
  }
  return null;
}
