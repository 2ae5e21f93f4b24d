// The slider's browser-side answer against the server's, on the real database: an account with
// deposits, withdrawals, a freeze, holds (captured in part, released, left to expire) and
// backdated corrections, read back as balance history windows and looked up at many instants —
// every event's instant and a millisecond either side, each correction's effective instant, each
// hold's expiry — must give exactly what getAccountAt gives, as known now and as Chronicle showed
// it then, and must step from event to event as findAdjacentInstant does.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountId as newAccountId } from '../../../test/support';
import type { LedgerCommand } from '../../ledger/commands';
import type { TimeStep } from '../../schemas/time-travel';
import {
  adjacentInstant,
  historyFromHead,
  lookupAt,
  withWindow,
  type BalanceHistory,
} from '../../time-travel/balance-history';
import { importHistory, type HistoricalCommand } from '../import/import-history';
import { findAdjacentInstant } from './find-adjacent-instant';
import { getAccountAt } from './get-account-at';
import { getBalanceHistoryHead, getBalanceHistoryWindow } from './get-balance-history';

const START = Date.parse('2026-01-05T09:00:00.000Z');
const HOUR = 3_600_000;

/** A history with every kind of movement the headline shows; returns it and the instants to ask. */
function historyOf(accountId: string) {
  const commands: HistoricalCommand[] = [];
  const instants = new Set<number>();
  let clock = START;
  const add = (command: LedgerCommand, ms = clock) => {
    commands.push({ occurredAt: new Date(ms), command });
    instants.add(ms);
  };
  add({ type: 'open_account', accountId, ownerId: 'owner', currency: 'USD' });
  for (let day = 0; day < 12; day += 1) {
    clock += 5 * HOUR;
    add({ type: 'deposit', accountId, amount: `${200 + day}.00`, source: 'ach', reference: '' });
    // Two events at the same instant.
    add({ type: 'withdraw', accountId, amount: '12.34', destination: 'card', reference: '' });
    clock += 3 * HOUR + 17;
    const holdId = randomUUID();
    const expiresMs = clock + (day % 3 === 0 ? 7 * HOUR : 48 * HOUR);
    instants.add(expiresMs);
    add({
      type: 'place_hold',
      holdId,
      accountId,
      amount: '40.00',
      reason: `card ${day}`,
      reference: '',
      expiresAt: new Date(expiresMs),
    });
    clock += 2 * HOUR;
    if (day % 3 === 1) add({ type: 'capture_hold', holdId, accountId, amount: '15.00' });
    if (day % 3 === 2) add({ type: 'release_hold', holdId, accountId, reason: 'cancelled' });
    // day % 3 === 0: left to expire (never recorded: the answer still stops at the expiry).
    if (day === 4) {
      add({ type: 'freeze_account', accountId, reason: 'review' });
      clock += HOUR;
      add({ type: 'deposit', accountId, amount: '1.00', source: 'ach', reference: '' });
      clock += HOUR;
      add({ type: 'unfreeze_account', accountId, reason: 'cleared' });
    }
    if (day % 4 === 3) {
      clock += HOUR;
      const effectiveMs = clock - (30 + day) * HOUR;
      instants.add(effectiveMs);
      add({
        type: 'record_correction',
        accountId,
        kind: day % 8 === 3 ? 'deposit' : 'withdrawal',
        amount: '7.50',
        effectiveAt: new Date(effectiveMs).toISOString(),
        reason: 'found late',
      });
    }
    clock += 11 * HOUR;
  }
  return { commands, instants: [...instants].sort((a, b) => a - b) };
}

async function loadHistory(accountId: string, windowSize: number): Promise<BalanceHistory> {
  const head = await getBalanceHistoryHead({ accountId, at: new Date(START), windowSize });
  if (!head) throw new Error('no head');
  let history = historyFromHead(head);
  for (let index = 0; index < history.windowStartsMs.length; index += 1) {
    const wire = await getBalanceHistoryWindow({ accountId, index, windowSize });
    if (!wire) throw new Error(`no window ${index}`);
    history = withWindow(history, wire);
  }
  return history;
}

describe('the balance history the slider keeps in the browser', () => {
  it('gives exactly the server’s as-of answer on both time axes, at every instant that matters', async () => {
    const accountId = newAccountId('slider');
    const { commands, instants } = historyOf(accountId);
    await importHistory({ actor: 'system:test', commands });

    for (const windowSize of [7, 2_000]) {
      const history = await loadHistory(accountId, windowSize);
      expect(history.windows.size).toBe(history.windowStartsMs.length);
      expect(history.effectiveMs.length).toBeGreaterThanOrEqual(3);
      const asked = new Set<number>([START - 1]);
      for (const ms of instants) for (const offset of [-1, 0, 1, 1_800_000]) asked.add(ms + offset);
      let corrected = 0;
      let held = 0;
      for (const ms of asked) {
        const at = new Date(ms);
        const [now, then] = await Promise.all([
          getAccountAt({ accountId, at }),
          getAccountAt({ accountId, at, knownAt: at }),
        ]);
        const local = lookupAt(history, ms);
        if (!now || !then) {
          expect(local, at.toISOString()).toEqual({ kind: 'before_first' });
          continue;
        }
        if (local.kind !== 'known') throw new Error(`not known at ${at.toISOString()}`);
        const label = `${at.toISOString()} (windows of ${windowSize})`;
        expect(
          {
            version: local.version,
            type: local.eventType,
            occurredAt: new Date(local.occurredMs).toISOString(),
            frozen: local.isFrozen,
            now: local.now,
            then: local.then,
          },
          label,
        ).toEqual({
          version: now.account.version,
          type: now.lastEvent.type,
          occurredAt: now.lastEvent.occurredAt.toISOString(),
          frozen: now.account.frozen,
          now: {
            balanceMinor: now.account.balanceMinor,
            heldMinor: now.account.heldMinor,
            availableMinor: availableOf(now.account),
          },
          then: {
            balanceMinor: then.account.balanceMinor,
            heldMinor: then.account.heldMinor,
            availableMinor: availableOf(then.account),
          },
        });
        if (now.account.balanceMinor !== then.account.balanceMinor) corrected += 1;
        if (now.account.heldMinor > 0n) held += 1;
      }
      // The axes really differ somewhere, and holds really reserve somewhere.
      expect(corrected).toBeGreaterThan(0);
      expect(held).toBeGreaterThan(0);
    }
  });

  it('steps from event to event as the server does', async () => {
    const accountId = newAccountId('slider-steps');
    const { commands, instants } = historyOf(accountId);
    await importHistory({ actor: 'system:test', commands });
    const history = await loadHistory(accountId, 5);
    const steps: TimeStep[] = ['previous', 'next', 'first', 'last'];
    for (const ms of [START - 1, ...instants, instants[instants.length - 1]! + HOUR]) {
      for (const step of steps) {
        const server = await findAdjacentInstant({ accountId, from: new Date(ms), step });
        const local = adjacentInstant(history, ms, step);
        expect(local, `${step} from ${new Date(ms).toISOString()}`).toBe(server?.getTime() ?? null);
      }
    }
    // From the present, "previous" is the last event.
    const last = await findAdjacentInstant({
      accountId,
      from: new Date('2100-01-01T00:00:00Z'),
      step: 'previous',
    });
    expect(adjacentInstant(history, null, 'previous')).toBe(last?.getTime());
  });

  it('answers nothing for an account that does not exist, or a window past its end', async () => {
    expect(await getBalanceHistoryHead({ accountId: 'no-such-account' })).toBeNull();
    const accountId = newAccountId('slider-short');
    const { commands } = historyOf(accountId);
    await importHistory({ actor: 'system:test', commands: commands.slice(0, 3) });
    expect(await getBalanceHistoryWindow({ accountId, index: 1, windowSize: 3 })).toBeNull();
    expect(await getBalanceHistoryWindow({ accountId, index: 0, windowSize: 3 })).toMatchObject({
      index: 0,
      endMs: null,
    });
  });
});

function availableOf(account: { balanceMinor: bigint; heldMinor: bigint; owedMinor: bigint }) {
  const unreserved = account.balanceMinor - account.heldMinor;
  return unreserved > account.owedMinor ? unreserved - account.owedMinor : 0n;
}
