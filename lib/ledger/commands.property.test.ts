// The same invariants as the database property test, on the pure core alone and with many more
// runs: random commands — holds placed, captured, released and expired among them, with time
// moving on — through decide + evolve never leave an account with less available than nothing,
// never create or destroy money, never capture more than a hold or reverse more than a charge.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { availableAt, type OpenAccount } from './account/account-state';
import { decide, type LedgerCommand } from './commands';
import { emptyLedgerState, type LedgerState } from './ledger-state';
import { formatAmount } from './money';
import { applyEvents, sequenceDecidedEvents } from './replay';

const accounts = ['a', 'b', 'c'];
const holdIds = Array.from(
  { length: 6 },
  (_, index) => `0195a1b2-c3d4-7e5f-8a9b-00000000b00${index}`,
);
// Amounts are generated as minor units and written as decimal strings, as a caller would send them.
const amount = fc.bigInt({ min: 1n, max: 20_000n }).map((minor) => formatAmount(minor, 'USD'));
const accountId = fc.constantFrom(...accounts);
const holdId = fc.constantFrom(...holdIds);

const step = fc.record({
  /** Minutes that pass before the command. */
  wait: fc.nat({ max: 10 }),
  command: fc.oneof(
    fc.record({
      type: fc.constant('deposit' as const),
      accountId,
      amount,
      source: fc.constant(''),
      reference: fc.constant(''),
    }),
    fc.record({
      type: fc.constant('withdraw' as const),
      accountId,
      amount,
      destination: fc.constant(''),
      reference: fc.constant(''),
    }),
    fc.record({
      type: fc.constant('transfer' as const),
      transferId: fc.constant('t'),
      fromAccountId: accountId,
      toAccountId: accountId,
      amount,
      reference: fc.constant(''),
    }),
    fc.record({
      type: fc.constant('reverse_charge' as const),
      /** Which of the charges so far; the account is the charge's. */
      charge: fc.nat(),
      amount: fc.option(amount, { nil: undefined }),
      reason: fc.constant('r'),
    }),
    fc.record({
      type: fc.constantFrom('freeze_account' as const, 'unfreeze_account' as const),
      accountId,
      reason: fc.constant('r'),
    }),
    fc.record({
      type: fc.constant('place_hold' as const),
      holdId,
      accountId,
      amount,
      reason: fc.constant('auth'),
      reference: fc.constant(''),
      expiresInMinutes: fc.option(fc.integer({ min: 1, max: 240 }), { nil: null }),
    }),
    // Which of the holds placed so far each of these concerns.
    fc.record({
      type: fc.constant('capture_hold' as const),
      hold: fc.nat(),
      /** Percent of what the hold still reserves (over 100 asks for too much); none: all of it. */
      percent: fc.option(fc.integer({ min: 1, max: 110 }), { nil: undefined }),
    }),
    fc.record({
      type: fc.constant('release_hold' as const),
      hold: fc.nat(),
      reason: fc.constant('r'),
    }),
    fc.record({ type: fc.constant('expire_hold' as const), hold: fc.nat() }),
  ),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

interface Charge {
  readonly eventId: string;
  readonly accountId: string;
}

/** The generated step as a command, filling in what only the current state can tell. */
function toCommand(raw: Step['command'], state: LedgerState, charges: Charge[], now: Date) {
  switch (raw.type) {
    case 'reverse_charge': {
      const { charge: index, ...rest } = raw;
      const charge = charges[index % Math.max(charges.length, 1)];
      return {
        ...rest,
        accountId: charge?.accountId ?? 'a',
        originalEventId: charge?.eventId ?? 'none',
      };
    }
    case 'place_hold': {
      const { expiresInMinutes, ...rest } = raw;
      return {
        ...rest,
        expiresAt:
          expiresInMinutes === null ? null : new Date(now.getTime() + expiresInMinutes * 60_000),
      };
    }
    case 'capture_hold':
    case 'release_hold':
    case 'expire_hold': {
      const { hold: index, ...rest } = raw;
      const placed = [...state.hold.values()];
      const hold = placed[index % Math.max(placed.length, 1)];
      if (!hold || hold.status === 'none')
        return { ...rest, holdId: holdIds[0] as string, accountId: 'a' };
      const target = { holdId: hold.holdId, accountId: hold.accountId };
      if (rest.type !== 'capture_hold') return { ...rest, ...target };
      const { percent, ...capture } = rest;
      const remainingMinor = hold.amountMinor - hold.capturedMinor;
      return {
        ...capture,
        ...target,
        amount:
          percent === undefined
            ? undefined
            : formatAmount(
                (remainingMinor * BigInt(percent)) / 100n > 0n
                  ? (remainingMinor * BigInt(percent)) / 100n
                  : 1n,
                'USD',
              ),
      };
    }
    default:
      return raw;
  }
}

describe('command invariants', () => {
  it('hold for any sequence of commands, holds and the passing of time', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 80 }), (steps) => {
        let state: LedgerState = emptyLedgerState;
        let next = 0;
        let now = new Date('2026-01-01T00:00:00Z');
        const run = (command: LedgerCommand) => {
          const decided = decide(command, state, now);
          const applied = sequenceDecidedEvents(
            state,
            decided,
            decided.map(() => `event-${(next += 1)}`),
          );
          state = applyEvents(state, applied);
          return applied;
        };
        for (const id of accounts)
          run({ type: 'open_account', accountId: id, ownerId: 'o', currency: 'USD' });
        let external = 0n;
        const charges: Charge[] = [];
        for (const { wait, command: raw } of steps) {
          now = new Date(now.getTime() + wait * 60_000);
          try {
            for (const applied of run(toCommand(raw, state, charges, now) as LedgerCommand)) {
              const { event } = applied;
              seen.add(event.type);
              if (event.type === 'funds_deposited' || event.type === 'charge_reversed')
                external += event.data.amountMinor;
              if (event.type === 'funds_withdrawn' || event.type === 'held_funds_captured') {
                external -= event.data.amountMinor;
                charges.push({ eventId: applied.eventId, accountId: applied.target.id });
              }
            }
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
          }
          // What is available never goes below nothing, whatever the holds and the clock.
          for (const account of state.account.values())
            expect(availableAt(account as OpenAccount, now) >= 0n).toBe(true);
        }
        let total = 0n;
        for (const account of state.account.values()) {
          if (account.status !== 'open') throw new Error('unopened');
          expect(account.balanceMinor >= 0n).toBe(true);
          total += account.balanceMinor;
        }
        expect(total).toBe(external);
        for (const charge of state.charges.values())
          expect(charge.reversedMinor <= charge.amountMinor).toBe(true);
        for (const hold of state.hold.values()) {
          if (hold.status === 'none') continue;
          expect(hold.capturedMinor <= hold.amountMinor).toBe(true);
          // The hold and its account agree on what it still reserves.
          const onAccount = (state.account.get(hold.accountId) as OpenAccount).holds.get(
            hold.holdId,
          );
          expect(onAccount?.remainingMinor ?? 0n).toBe(
            hold.status === 'active' ? hold.amountMinor - hold.capturedMinor : 0n,
          );
        }
      }),
      // Seeded: the coverage check below must not depend on the luck of one run.
      { numRuns: 300, seed: 1_127 },
    );
    // The runs exercised every kind of fact, so the invariants were tested against all of them.
    for (const type of [
      'hold_placed',
      'hold_captured',
      'hold_released',
      'hold_expired',
      'charge_reversed',
      'transfer_initiated',
    ])
      expect(seen, `no run recorded ${type}`).toContain(type);
  });
});
