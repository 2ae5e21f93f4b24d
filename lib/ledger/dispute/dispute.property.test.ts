// Random sequences of dispute steps among ordinary money movements, through decide + evolve:
// a case's status only ever moves along the transition table; no charge is ever given back more
// than it took; and the money reconciles — the account's balance is exactly its deposits less its
// charges plus refunds and provisional credits less what was taken back and collected, and each
// lost case's provisional credit is clawed back, collected, written off or still owed, to the unit.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { availableAt, type OpenAccount } from '../account/account-state';
import { decide, type LedgerCommand } from '../commands';
import { deposited, given, opened, withdrawn } from '../ledger-test-support';
import type { LedgerState } from '../ledger-state';
import { formatAmount } from '../money';
import { applyEvents, sequenceDecidedEvents } from '../replay';
import { canMove, DISPUTE_OUTCOMES } from './dispute-rules';
import type { OpenedDispute } from './dispute-state';

const CHARGES = [1, 2, 3].map((n) => `00000000-0000-7000-8000-00000000c00${n}`);
const CASES = [0, 1, 2].map((n) => `0195a1b2-c3d4-7e5f-8a9b-0000000d000${n}`);
const amount = fc.bigInt({ min: 1n, max: 6_000n }).map((minor) => formatAmount(minor, 'USD'));
const caseIndex = fc.nat({ max: CASES.length - 1 });

const step = fc.oneof(
  // Weighted so that most runs open cases, credit them, spend the credit and resolve them.
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('open' as const),
      case: caseIndex,
      charge: fc.nat({ max: 2 }),
      amount: fc.option(amount, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('assign' as const),
      case: caseIndex,
      assignee: fc.constantFrom('s1', 's2'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('note' as const), case: caseIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('submit' as const), case: caseIndex }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('credit' as const),
      case: caseIndex,
      amount: fc.option(amount, { nil: undefined }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('resolve' as const),
      case: caseIndex,
      outcome: fc.constantFrom(...DISPUTE_OUTCOMES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('write_off' as const), case: caseIndex }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      charge: fc.nat({ max: 2 }),
      amount: fc.option(amount, { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deposit' as const), amount }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), amount }) },
  // The customer spends everything available, so that a lost case often leaves a shortfall.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('spend_all' as const) }) },
);

type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function commandOf(s: Step, state: LedgerState, serial: number, now: Date): LedgerCommand {
  const evidenceId = `0195a1b2-c3d4-7e5f-8a9b-${serial.toString(16).padStart(12, '0')}`;
  const disputeId = 'case' in s ? (CASES[s.case] as string) : '';
  const known = state.dispute.get(disputeId);
  const chargeOfCase =
    known && known.status !== 'none' ? known.chargeEventId : (CHARGES[0] as string);
  const onCase = { disputeId, accountId: 'a', chargeEventId: chargeOfCase };
  switch (s.kind) {
    case 'open':
      return {
        type: 'open_dispute',
        disputeId,
        accountId: 'a',
        chargeEventId: CHARGES[s.charge] as string,
        amount: s.amount,
        reasonCode: 'general',
        description: 'd',
        dueBy: null,
        dueDays: 14,
      };
    case 'assign':
      return { type: 'assign_dispute', disputeId, assigneeId: s.assignee };
    case 'note':
      return { type: 'add_dispute_note', disputeId, evidenceId, text: 'n' };
    case 'submit':
      return { type: 'submit_dispute_evidence', disputeId };
    case 'credit':
      return { type: 'give_provisional_credit', ...onCase, amount: s.amount };
    case 'resolve':
      return { type: 'resolve_dispute', ...onCase, outcome: s.outcome, note: 'n' };
    case 'write_off':
      return { type: 'write_off_shortfall', ...onCase, reason: 'r' };
    case 'reverse':
      return {
        type: 'reverse_charge',
        accountId: 'a',
        originalEventId: CHARGES[s.charge] as string,
        amount: s.amount,
        reason: 'r',
      };
    case 'deposit':
      return { type: 'deposit', accountId: 'a', amount: s.amount, source: '', reference: '' };
    case 'withdraw':
      return { type: 'withdraw', accountId: 'a', amount: s.amount, destination: '', reference: '' };
    case 'spend_all': {
      const available = availableAt(state.account.get('a') as OpenAccount, now);
      return {
        type: 'withdraw',
        accountId: 'a',
        amount: formatAmount(available, 'USD'),
        destination: '',
        reference: '',
      };
    }
  }
}

describe('dispute cases under random steps', () => {
  it('stay in the transition table, never give back more than a charge, and reconcile to the unit', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 80 }), (steps) => {
        let state = given(
          opened('a'),
          deposited('a', 16_000n),
          ...CHARGES.map((id) => withdrawn('a', 5_000n, id)),
        );
        let now = new Date('2026-04-01T12:00:00.000Z');
        // Sums over every account event recorded by the steps, by type.
        const sums = new Map<string, bigint>();
        const collectedByCase = new Map<string, bigint>();
        let serial = 0;
        for (const s of steps) {
          now = new Date(now.getTime() + 60_000);
          serial += 1;
          const command = commandOf(s, state, serial, now);
          let decided;
          try {
            decided = decide(command, state, now);
          } catch (error) {
            if (error instanceof AppError) continue;
            throw error;
          }
          const ids = decided.map(
            (_, i) =>
              `0195a1b2-c3d4-7e5f-8a9b-1${(serial * 10 + i).toString(16).padStart(11, '0')}`,
          );
          const next = applyEvents(state, sequenceDecidedEvents(state, decided, ids));
          for (const { target, event } of decided) {
            if (target.kind === 'dispute') {
              const before = state.dispute.get(target.id);
              const after = next.dispute.get(target.id) as OpenedDispute;
              if (before && before.status !== 'none' && before.status !== after.status)
                expect(canMove(before.status, after.status)).toBe(true);
            }
            if (
              target.kind === 'account' &&
              'amountMinor' in event.data &&
              typeof event.data.amountMinor === 'bigint'
            ) {
              sums.set(event.type, (sums.get(event.type) ?? 0n) + event.data.amountMinor);
              if (event.type === 'shortfall_collected')
                collectedByCase.set(
                  event.data.disputeId,
                  (collectedByCase.get(event.data.disputeId) ?? 0n) + event.data.amountMinor,
                );
            }
          }
          state = next;
          for (const charge of state.charges.values()) {
            expect(charge.reversedMinor).toBeGreaterThanOrEqual(0n);
            expect(charge.reversedMinor + charge.disputedMinor).toBeLessThanOrEqual(
              charge.amountMinor,
            );
          }
        }
        const sum = (type: string) => sums.get(type) ?? 0n;
        const account = state.account.get('a') as OpenAccount;
        expect(account.balanceMinor).toBe(
          16_000n -
            15_000n +
            sum('funds_deposited') -
            sum('funds_withdrawn') +
            sum('charge_reversed') +
            sum('provisional_credit_given') +
            sum('disputed_charge_refunded') -
            sum('provisional_credit_reversed') -
            sum('shortfall_collected'),
        );
        for (const disputeId of CASES) {
          const found = state.dispute.get(disputeId);
          if (!found || found.status === 'none') continue;
          const owed = account.shortfalls.get(disputeId)?.outstandingMinor ?? 0n;
          if (found.outcome === null || found.outcome === 'won') {
            expect(owed).toBe(0n);
            if (found.outcome === 'won')
              expect(found.refundedMinor + found.provisionalCreditMinor).toBe(found.amountMinor);
            continue;
          }
          expect(
            found.clawedBackMinor +
              (collectedByCase.get(disputeId) ?? 0n) +
              found.writtenOffMinor +
              owed,
          ).toBe(found.provisionalCreditMinor);
        }
      }),
      { numRuns: 300 },
    );
  });
});
