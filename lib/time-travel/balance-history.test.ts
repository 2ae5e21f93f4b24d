import { describe, expect, it } from 'vitest';
import {
  BALANCE_HISTORY_FORMAT,
  decodeBigInts,
  decodeNumbers,
  encodeBigInts,
  encodeNumbers,
  encodeWindow,
  type BalanceHistoryHeadWire,
  type BalanceHistoryRow,
} from './balance-history-format';
import { adjacentInstant, historyFromHead, lookupAt, withWindow } from './balance-history';
import { heldSeries, type HoldWithHistory } from './held-series';

const T = (iso: string) => Date.parse(iso);

/** Given rows (a window of `size` versions each), corrections and holds, the head and windows. */
function given(options: {
  rows: BalanceHistoryRow[];
  size: number;
  corrections?: Array<{ effectiveMs: number; recordedMs: number; deltaMinor: bigint }>;
  holds?: HoldWithHistory[];
}) {
  const { rows, size } = options;
  const headVersion = rows[rows.length - 1]?.version ?? 0;
  const windowCount = Math.ceil(headVersion / size);
  const windows = Array.from({ length: windowCount }, (_, index) => {
    const inWindow = rows.filter(
      (row) => row.version > index * size && row.version <= (index + 1) * size,
    );
    const startMs = inWindow[0]?.occurredMs ?? 0;
    const endMs = rows.find((row) => row.version > (index + 1) * size)?.occurredMs ?? null;
    const held = heldSeries(options.holds ?? [], startMs, endMs);
    return encodeWindow({
      index,
      windowSize: size,
      headVersion,
      rows: inWindow,
      endMs,
      heldStartMinor: held.startMinor,
      heldPoints: held.points,
    });
  });
  const corrections = options.corrections ?? [];
  const head = (windowIndex: number): BalanceHistoryHeadWire => ({
    format: BALANCE_HISTORY_FORMAT,
    accountId: 'a',
    windowSize: size,
    headVersion,
    windowStartsMs: encodeNumbers(
      windows.map((_, index) => rows.find((row) => row.version > index * size)?.occurredMs ?? 0),
    ),
    corrections: {
      effectiveMs: encodeNumbers(corrections.map((c) => c.effectiveMs)),
      recordedMs: encodeNumbers(corrections.map((c) => c.recordedMs)),
      deltaMinor: encodeBigInts(corrections.map((c) => c.deltaMinor)),
    },
    window: windows[windowIndex] as BalanceHistoryHeadWire['window'],
  });
  return { head, windows };
}

const row = (
  version: number,
  iso: string,
  baseMinor: bigint,
  extra: Partial<BalanceHistoryRow> = {},
): BalanceHistoryRow => ({
  version,
  occurredMs: T(iso),
  baseMinor,
  owedMinor: 0n,
  frozen: false,
  eventType: 'funds_deposited',
  ...extra,
});

describe('delta-coded columns', () => {
  it('round-trip numbers and amounts beyond 2^53 exactly', () => {
    const instants = [
      T('2026-03-01T09:00:00Z'),
      T('2026-03-01T09:00:00Z'),
      T('2026-03-10T10:00:00.001Z'),
    ];
    expect(encodeNumbers(instants)).toBe(`${instants[0]},0,${instants[2]! - instants[1]!}`);
    expect([...decodeNumbers(encodeNumbers(instants))]).toEqual(instants);
    const amounts = [0n, 999_999_999_999_999_999n, -5n, 1_000_000_000_000_000_000n];
    expect([...decodeBigInts(encodeBigInts(amounts))]).toEqual(amounts);
    expect([...decodeBigInts('')]).toEqual([]);
  });

  it('refuses what is not a list of integers', () => {
    expect(() => decodeNumbers('1,2.5')).toThrow();
    expect(() => decodeBigInts('1,1e3')).toThrow();
    expect(() => decodeBigInts('9223372036854775807,1')).toThrow();
  });
});

describe('the headline at an instant', () => {
  // Opened, deposit 1000.00, withdrawal 250.00, freeze, deposit 5.00; a correction of +20.00
  // effective on the 12th, entered on the 18th; a hold of 100.00 placed on the 16th, expiring on
  // the 19th at noon.
  const rows = [
    row(1, '2026-03-01T09:00:00Z', 0n, { eventType: 'account_opened' }),
    row(2, '2026-03-10T10:00:00Z', 100_000n),
    row(3, '2026-03-15T14:30:00Z', 75_000n, { eventType: 'funds_withdrawn' }),
    row(4, '2026-03-15T14:47:00Z', 75_000n, { eventType: 'account_frozen', frozen: true }),
    row(5, '2026-03-16T00:00:00Z', 75_000n, { eventType: 'funds_held', frozen: true }),
    // The correction's own row: base excludes it, the corrections column adds it back.
    row(6, '2026-03-18T00:00:00Z', 75_000n, { eventType: 'balance_corrected', frozen: true }),
    row(7, '2026-03-20T08:00:00Z', 75_500n, { frozen: true, owedMinor: 1_000n }),
  ];
  const corrections = [
    {
      effectiveMs: T('2026-03-12T00:00:00Z'),
      recordedMs: T('2026-03-18T00:00:00Z'),
      deltaMinor: 2_000n,
    },
  ];
  const holds: HoldWithHistory[] = [
    {
      amountMinor: 10_000n,
      placedMs: T('2026-03-16T00:00:00Z'),
      expiresMs: T('2026-03-19T12:00:00Z'),
      history: [
        { occurredMs: T('2026-03-16T00:00:00Z'), capturedAfterMinor: 0n, isActiveAfter: true },
      ],
    },
  ];

  for (const size of [100, 2]) {
    const { head, windows } = given({ rows, size, corrections, holds });
    let history = historyFromHead(head(0));
    for (const wire of windows) history = withWindow(history, wire);

    it(`before the first event the account did not exist yet (windows of ${size})`, () => {
      expect(lookupAt(history, T('2026-03-01T08:59:59.999Z'))).toEqual({ kind: 'before_first' });
    });

    it(`at an event's exact instant the event counts, a millisecond before it does not (windows of ${size})`, () => {
      const atFreeze = lookupAt(history, T('2026-03-15T14:47:00Z'));
      expect(atFreeze).toMatchObject({
        kind: 'known',
        version: 4,
        isFrozen: true,
        eventType: 'account_frozen',
      });
      const before = lookupAt(history, T('2026-03-15T14:46:59.999Z'));
      expect(before).toMatchObject({ kind: 'known', version: 3, isFrozen: false });
      expect(lookupAt(history, T('2026-03-01T09:00:00Z'))).toMatchObject({ version: 1 });
    });

    it(`counts a correction from its effective instant now, and from its entry as shown then (windows of ${size})`, () => {
      const beforeEffect = lookupAt(history, T('2026-03-11T23:59:59.999Z'));
      expect(beforeEffect).toMatchObject({
        now: { balanceMinor: 100_000n },
        then: { balanceMinor: 100_000n },
      });
      const effective = lookupAt(history, T('2026-03-12T00:00:00Z'));
      expect(effective).toMatchObject({
        now: { balanceMinor: 102_000n },
        then: { balanceMinor: 100_000n },
      });
      const entered = lookupAt(history, T('2026-03-18T00:00:00Z'));
      expect(entered).toMatchObject({
        now: { balanceMinor: 77_000n },
        then: { balanceMinor: 77_000n },
      });
      const justBeforeEntry = lookupAt(history, T('2026-03-17T23:59:59.999Z'));
      expect(justBeforeEntry).toMatchObject({
        now: { balanceMinor: 77_000n },
        then: { balanceMinor: 75_000n },
      });
    });

    it(`holds reserve from placement until their expiry, exclusive (windows of ${size})`, () => {
      const held = lookupAt(history, T('2026-03-16T00:00:00Z'));
      expect(held).toMatchObject({
        now: { balanceMinor: 77_000n, heldMinor: 10_000n, availableMinor: 67_000n },
        then: { balanceMinor: 75_000n, heldMinor: 10_000n, availableMinor: 65_000n },
      });
      expect(lookupAt(history, T('2026-03-19T11:59:59.999Z'))).toMatchObject({
        now: { heldMinor: 10_000n },
      });
      expect(lookupAt(history, T('2026-03-19T12:00:00Z'))).toMatchObject({
        now: { heldMinor: 0n, availableMinor: 77_000n },
      });
    });

    it(`what is owed comes off what is available (windows of ${size})`, () => {
      expect(lookupAt(history, T('2030-01-01T00:00:00Z'))).toMatchObject({
        version: 7,
        owedMinor: 1_000n,
        now: { balanceMinor: 77_500n, availableMinor: 76_500n },
      });
    });

    it(`steps event by event as the server does (windows of ${size})`, () => {
      const iso = (ms: number | null | undefined) =>
        typeof ms === 'number' ? new Date(ms).toISOString() : ms;
      expect(iso(adjacentInstant(history, T('2026-03-15T14:47:00Z'), 'previous'))).toBe(
        '2026-03-15T14:30:00.000Z',
      );
      expect(iso(adjacentInstant(history, T('2026-03-15T14:47:00Z'), 'next'))).toBe(
        '2026-03-16T00:00:00.000Z',
      );
      expect(iso(adjacentInstant(history, T('2026-03-15T14:40:00Z'), 'next'))).toBe(
        '2026-03-15T14:47:00.000Z',
      );
      expect(iso(adjacentInstant(history, T('2026-02-01T00:00:00Z'), 'next'))).toBe(
        '2026-03-01T09:00:00.000Z',
      );
      expect(adjacentInstant(history, T('2026-03-01T09:00:00Z'), 'previous')).toBeNull();
      expect(adjacentInstant(history, T('2026-03-20T08:00:00Z'), 'next')).toBeNull();
      expect(iso(adjacentInstant(history, null, 'previous'))).toBe('2026-03-20T08:00:00.000Z');
      expect(adjacentInstant(history, null, 'next')).toBeNull();
      expect(iso(adjacentInstant(history, T('2026-03-10T00:00:00Z'), 'first'))).toBe(
        '2026-03-01T09:00:00.000Z',
      );
      expect(iso(adjacentInstant(history, T('2026-03-10T00:00:00Z'), 'last'))).toBe(
        '2026-03-20T08:00:00.000Z',
      );
    });
  }

  it('says it does not know where its windows are not loaded, and knows once they are', () => {
    const { head, windows } = given({ rows, size: 2, corrections, holds });
    let history = historyFromHead(head(1)); // versions 3 and 4 only
    expect(lookupAt(history, T('2026-03-15T14:47:00Z'))).toMatchObject({
      kind: 'known',
      version: 4,
    });
    expect(lookupAt(history, T('2026-03-10T10:00:00Z'))).toEqual({ kind: 'unknown' });
    expect(lookupAt(history, T('2026-03-16T00:00:00Z'))).toEqual({ kind: 'unknown' });
    expect(adjacentInstant(history, T('2026-03-15T14:30:00Z'), 'previous')).toBeUndefined();
    expect(adjacentInstant(history, T('2026-03-15T14:47:00Z'), 'next')).toBe(
      T('2026-03-16T00:00:00Z'),
    );
    expect(adjacentInstant(history, null, 'last')).toBeUndefined();
    history = withWindow(history, windows[0]!);
    expect(adjacentInstant(history, T('2026-03-15T14:30:00Z'), 'previous')).toBe(
      T('2026-03-10T10:00:00Z'),
    );
    expect(lookupAt(history, T('2026-03-10T10:00:00Z'))).toMatchObject({
      kind: 'known',
      version: 2,
    });
  });

  it('treats a last window read before more events arrived as unknown past its end', () => {
    const early = given({ rows: rows.slice(0, 3), size: 4 });
    const later = given({ rows, size: 4 });
    let history = historyFromHead(early.head(0));
    expect(lookupAt(history, T('2026-03-20T08:00:00Z'))).toMatchObject({
      kind: 'known',
      version: 3,
    });
    history = {
      ...historyFromHead(later.head(1)),
      windows: new Map([...history.windows, ...historyFromHead(later.head(1)).windows]),
    };
    expect(lookupAt(history, T('2026-03-15T14:47:00Z'))).toEqual({ kind: 'unknown' });
    expect(lookupAt(history, T('2026-03-20T08:00:00Z'))).toMatchObject({
      kind: 'known',
      version: 7,
    });
  });

  it('refuses another format', () => {
    const { head } = given({ rows, size: 100 });
    expect(() => historyFromHead({ ...head(0), format: 2 as 1 })).toThrow();
  });
});

describe('what holds reserve over time', () => {
  it('follows placement, partial capture, release and expiry, and starts mid-way', () => {
    const holds: HoldWithHistory[] = [
      {
        amountMinor: 5_000n,
        placedMs: 100,
        expiresMs: null,
        history: [
          { occurredMs: 100, capturedAfterMinor: 0n, isActiveAfter: true },
          { occurredMs: 200, capturedAfterMinor: 2_000n, isActiveAfter: true },
          { occurredMs: 300, capturedAfterMinor: 2_000n, isActiveAfter: false },
        ],
      },
      {
        amountMinor: 1_000n,
        placedMs: 150,
        expiresMs: 250,
        history: [{ occurredMs: 150, capturedAfterMinor: 0n, isActiveAfter: true }],
      },
    ];
    expect(heldSeries(holds, 0, null)).toEqual({
      startMinor: 0n,
      points: [
        { ms: 100, heldMinor: 5_000n },
        { ms: 150, heldMinor: 6_000n },
        { ms: 200, heldMinor: 4_000n },
        { ms: 250, heldMinor: 3_000n },
        { ms: 300, heldMinor: 0n },
      ],
    });
    expect(heldSeries(holds, 150, 300)).toEqual({
      startMinor: 6_000n,
      points: [
        { ms: 200, heldMinor: 4_000n },
        { ms: 250, heldMinor: 3_000n },
      ],
    });
  });
});
