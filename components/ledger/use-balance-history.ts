'use client';

// Keeps the account's balance history in the browser for the time-travel slider
// (docs/decisions/015-instant-slider.md): the directory, the corrections and the window around
// the slider's position first, then — one request at a time, in the background — the windows
// next to it, outwards, up to MAX_WINDOWS. When the page learns of new events (the live stream
// refreshes it, and the account's version grows), the head and the last window are read again;
// windows that are full never change and are kept. Anything it cannot load leaves the history as
// it is, and the slider asks the server as before.

import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  BalanceHistoryHeadWire,
  BalanceHistoryWindowWire,
} from '@/lib/time-travel/balance-history-format';
import {
  historyFromHead,
  withWindow,
  type BalanceHistory,
} from '@/lib/time-travel/balance-history';

/** About 128,000 events, a few MB of typed arrays; further windows load when the slider is there. */
const MAX_WINDOWS = 64;

async function fetchJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(url, { cache: 'no-store', signal });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** The index of the window around `ms` (the last window for the present). */
function windowIndexAt(history: BalanceHistory, ms: number | null): number {
  const starts = history.windowStartsMs;
  if (ms === null) return starts.length - 1;
  let index = 0;
  while (index + 1 < starts.length && (starts[index + 1] as number) <= ms) index += 1;
  return index;
}

/** A window is usable when loaded and, if it was the last when read, still the last. */
function isLoaded(history: BalanceHistory, index: number): boolean {
  const window = history.windows.get(index);
  if (!window) return false;
  return window.endMs !== Infinity || index === history.windowStartsMs.length - 1;
}

/** Windows to load next: the position's, then its neighbours outwards. */
function nextWindowToLoad(history: BalanceHistory, position: number): number | null {
  const count = history.windowStartsMs.length;
  const full = history.windows.size >= MAX_WINDOWS;
  for (let distance = 0; distance < count; distance += 1) {
    if (full && distance > 1) return null;
    for (const index of [position - distance, position + distance]) {
      if (index >= 0 && index < count && !isLoaded(history, index)) return index;
    }
  }
  return null;
}

export function useBalanceHistory({
  accountId,
  headVersion,
  positionMs,
}: {
  accountId: string;
  /** The account's version as the page last read it: when it grows, the history is extended. */
  headVersion: number;
  /** The slider's position (null: the present): its window loads first. */
  positionMs: number | null;
}): BalanceHistory | null {
  const [history, setHistory] = useState<BalanceHistory | null>(null);
  const [failed, setFailed] = useState(false);
  // One request at a time. When one ends, `settled` changes, so the effects look again.
  const busy = useRef(false);
  const [settled, setSettled] = useState(0);
  const done = useCallback(() => {
    busy.current = false;
    setSettled((count) => count + 1);
  }, []);
  const aborter = useRef<AbortController | null>(null);
  const position = useRef(positionMs);
  useEffect(() => {
    position.current = positionMs;
  }, [positionMs]);
  const base = `/api/accounts/${encodeURIComponent(accountId)}/balance-history`;

  const readHead = useCallback(
    async (signal: AbortSignal) => {
      const at = position.current;
      const head = await fetchJson<BalanceHistoryHeadWire>(
        at === null ? base : `${base}?at=${encodeURIComponent(new Date(at).toISOString())}`,
        signal,
      );
      const fresh = historyFromHead(head);
      setHistory((previous) => {
        if (!previous) return fresh;
        // Full windows never change: keep those the fresh head does not bring.
        const windows = new Map(fresh.windows);
        for (const [index, window] of previous.windows)
          if (!windows.has(index) && window.endMs !== Infinity) windows.set(index, window);
        return { ...fresh, windows };
      });
    },
    [base],
  );

  useEffect(() => {
    const controller = new AbortController();
    aborter.current = controller;
    busy.current = true;
    readHead(controller.signal)
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      })
      .finally(done);
    return () => {
      controller.abort();
      setHistory(null);
    };
  }, [readHead, done]);

  // New events: read the head (and with it the last window) again.
  useEffect(() => {
    const controller = aborter.current;
    if (!history || failed || headVersion <= history.headVersion || busy.current || !controller)
      return;
    busy.current = true;
    readHead(controller.signal)
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      })
      .finally(done);
  }, [history, headVersion, failed, readHead, done, settled]);

  // The background loader: one window at a time; each loaded window runs this effect again.
  const positionWindow = history ? windowIndexAt(history, positionMs) : null;
  useEffect(() => {
    const controller = aborter.current;
    if (!history || failed || busy.current || positionWindow === null || !controller) return;
    const index = nextWindowToLoad(history, positionWindow);
    if (index === null) return;
    busy.current = true;
    fetchJson<BalanceHistoryWindowWire>(`${base}?window=${index}`, controller.signal).then(
      (wire) => {
        setHistory((previous) => (previous ? withWindow(previous, wire) : previous));
        // A window read after more events arrived: the head is out of date too.
        if (wire.headVersion > history.headVersion) {
          readHead(controller.signal)
            .catch(() => undefined)
            .finally(done);
        } else {
          done();
        }
      },
      () => {
        if (!controller.signal.aborted) setFailed(true);
        done();
      },
    );
  }, [history, positionWindow, failed, base, readHead, done, settled]);

  return failed ? null : history;
}
