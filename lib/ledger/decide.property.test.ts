// The same invariants as the database property test, on the pure core alone and with many more
// runs: random commands through decide + evolve never produce a negative balance, never create
// or destroy money, and never over-reverse a charge.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { LedgerCommand } from './commands';
import { decide, type LedgerState } from './decide';
import { formatAmount } from './money';
import { applyEvents, emptyLedgerState, sequenceDecidedEvents } from './replay';

const accounts = ['a', 'b', 'c'];
// Amounts are generated as minor units and written as decimal strings, as a caller would send them.
const amount = fc.bigInt({ min: 1n, max: 20_000n }).map((minor) => formatAmount(minor, 'USD'));

const command = fc.oneof(
  fc.record({
    type: fc.constant('deposit' as const),
    accountId: fc.constantFrom(...accounts),
    amount,
    source: fc.constant(''),
    reference: fc.constant(''),
  }),
  fc.record({
    type: fc.constant('withdraw' as const),
    accountId: fc.constantFrom(...accounts),
    amount,
    destination: fc.constant(''),
    reference: fc.constant(''),
  }),
  fc.record({
    type: fc.constant('transfer' as const),
    transferId: fc.constant('t'),
    fromAccountId: fc.constantFrom(...accounts),
    toAccountId: fc.constantFrom(...accounts),
    amount,
    reference: fc.constant(''),
  }),
  fc.record({
    type: fc.constant('reverse_charge' as const),
    accountId: fc.constantFrom(...accounts),
    originalEventId: fc.nat(),
    amount: fc.option(amount, { nil: undefined }),
    reason: fc.constant('r'),
  }),
  fc.record({
    type: fc.constantFrom('freeze_account' as const, 'unfreeze_account' as const),
    accountId: fc.constantFrom(...accounts),
    reason: fc.constant('r'),
  }),
);

describe('decider invariants', () => {
  it('hold for any sequence of commands', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), (commands) => {
        let state: LedgerState = emptyLedgerState;
        let next = 0;
        const now = new Date('2026-01-01T00:00:00Z');
        const run = (item: LedgerCommand) => {
          const decided = decide(item, state, now);
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
        const charges: string[] = [];
        for (const raw of commands) {
          const item =
            raw.type === 'reverse_charge'
              ? {
                  ...raw,
                  originalEventId:
                    charges[Number(raw.originalEventId) % Math.max(charges.length, 1)] ?? 'none',
                }
              : (raw as LedgerCommand);
          try {
            for (const applied of run(item)) {
              if (
                applied.event.type === 'funds_deposited' ||
                applied.event.type === 'charge_reversed'
              )
                external += applied.event.data.amountMinor;
              if (applied.event.type === 'funds_withdrawn') {
                external -= applied.event.data.amountMinor;
                charges.push(applied.eventId);
              }
            }
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
          }
        }
        let total = 0n;
        for (const account of state.accounts.values()) {
          if (account.status !== 'open') throw new Error('unopened');
          expect(account.balanceMinor >= 0n).toBe(true);
          total += account.balanceMinor;
        }
        expect(total).toBe(external);
        for (const charge of state.charges.values())
          expect(charge.reversedMinor <= charge.amountMinor).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
