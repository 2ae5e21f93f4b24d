// Given/when/then specs of the dispute case's deciders: opening against a charge, the transition
// table, evidence, provisional credit, each outcome and where its money goes, and a lost case's
// shortfall collected from later incoming funds.

import { describe, expect, it } from 'vitest';
import { refOf } from '../aggregate';
import type { LedgerCommand } from '../commands';
import { decide } from '../commands';
import type { LedgerState } from '../ledger-state';
import { NOW, deposited, given, opened, reversed, withdrawn } from '../ledger-test-support';
import { applyEvents, sequenceDecidedEvents } from '../replay';
import type { OpenAccount } from '../account/account-state';
import type { OpenedDispute } from './dispute-state';
import { when } from '../ledger-test-support';

const CHARGE = '00000000-0000-7000-8000-00000000c0de';
const CASE = '0195a1b2-c3d4-7e5f-8a9b-0000000d1500';
const EVIDENCE = '0195a1b2-c3d4-7e5f-8a9b-0000000e0000';
let ids = 0;

/** Decides `command` and applies what it decided: the state a committed command leaves. */
function run(state: LedgerState, command: LedgerCommand, now = NOW): LedgerState {
  const decided = decide(command, state, now);
  const eventIds = decided.map(() => {
    ids += 1;
    return `0195a1b2-c3d4-7e5f-8a9b-${ids.toString(16).padStart(12, '0')}`;
  });
  return applyEvents(state, sequenceDecidedEvents(state, decided, eventIds));
}

const charged = () => given(opened('a'), deposited('a', 10_000n), withdrawn('a', 3_000n, CHARGE));
const open = (extra: Partial<Extract<LedgerCommand, { type: 'open_dispute' }>> = {}) =>
  ({
    type: 'open_dispute',
    disputeId: CASE,
    accountId: 'a',
    chargeEventId: CHARGE,
    reasonCode: 'fraudulent',
    description: 'I never bought this',
    dueBy: null,
    dueDays: 30,
    ...extra,
  }) as const;
const onCase = { disputeId: CASE, accountId: 'a', chargeEventId: CHARGE };
const caseOf = (state: LedgerState) => state.dispute.get(CASE) as OpenedDispute;
const accountOf = (state: LedgerState) => state.account.get('a') as OpenAccount;

describe('opening a case', () => {
  it('reserves what is still reversible on the charge, due after the policy days', () => {
    const state = run(charged(), open());
    expect(caseOf(state)).toMatchObject({ status: 'open', amountMinor: 3_000n });
    expect(caseOf(state).dueBy.toISOString()).toBe('2026-05-01T12:00:00.000Z');
    expect(state.charges.get(CHARGE)).toMatchObject({ disputeId: CASE, disputedMinor: 3_000n });
    // Reserved, not moved: the balance is unchanged and a reversal by hand finds nothing left.
    expect(accountOf(state).balanceMinor).toBe(7_000n);
    when(state, {
      type: 'reverse_charge',
      accountId: 'a',
      originalEventId: CHARGE,
      reason: 'x',
    }).thenRefused('reversal_exceeds_original', /in dispute/);
  });

  it('refuses a second open case, more than is reversible, and what is not a charge', () => {
    when(
      run(charged(), open()),
      open({ disputeId: '0195a1b2-c3d4-7e5f-8a9b-0000000d1501' }),
    ).thenRefused('dispute_exists');
    const partly = given(
      opened('a'),
      deposited('a', 10_000n),
      withdrawn('a', 3_000n, CHARGE),
      reversed('a', CHARGE, 1_000n),
    );
    when(partly, open({ amount: '20.01' })).thenRefused('amount_exceeds_reversible', /20.00 USD/);
    when(charged(), open({ chargeEventId: '00000000-0000-7000-8000-0000000000ff' })).thenRefused(
      'not_reversible',
    );
    when(charged(), open({ reasonCode: 'bored' })).thenRefused('validation_error');
    when(charged(), open({ dueBy: new Date(NOW.getTime() - 1) })).thenRefused('validation_error');
  });
});

describe('the transition table', () => {
  it('moves open → needs_response on assignment → under_review on submission → won', () => {
    let state = run(charged(), open());
    state = run(state, { type: 'assign_dispute', disputeId: CASE, assigneeId: 'support-1' });
    expect(caseOf(state).status).toBe('needs_response');
    when(state, { type: 'submit_dispute_evidence', disputeId: CASE }).thenRefused(
      'validation_error',
      /no evidence/,
    );
    state = run(state, {
      type: 'add_dispute_note',
      disputeId: CASE,
      evidenceId: EVIDENCE,
      text: 'Receipt attached',
    });
    state = run(state, { type: 'submit_dispute_evidence', disputeId: CASE });
    expect(caseOf(state)).toMatchObject({ status: 'under_review' });
    // What was submitted is the case's evidence: nothing more can be added, or ever submitted.
    when(state, {
      type: 'add_dispute_note',
      disputeId: CASE,
      evidenceId: '0195a1b2-c3d4-7e5f-8a9b-0000000e0002',
      text: 'One more thing',
    }).thenRefused('invalid_transition', /what was submitted is the case’s evidence/);
    expect(caseOf(state).evidence.every((item) => item.submitted)).toBe(true);
    // A second submission has nowhere to go: under_review → under_review is not in the table.
    when(state, { type: 'submit_dispute_evidence', disputeId: CASE }).thenRefused(
      'invalid_transition',
    );
    state = run(state, {
      type: 'resolve_dispute',
      ...onCase,
      outcome: 'won',
      note: 'Issuer agreed',
    });
    expect(caseOf(state).status).toBe('won');
    for (const command of [
      { type: 'assign_dispute', disputeId: CASE, assigneeId: 'support-2' },
      { type: 'resolve_dispute', ...onCase, outcome: 'lost', note: 'again' },
      { type: 'give_provisional_credit', ...onCase },
    ] as const)
      when(state, command).thenRefused('invalid_transition');
  });
});

describe('money follows the outcome exactly once', () => {
  it('won: the disputed amount less the provisional credit is refunded; the credit becomes final', () => {
    let state = run(charged(), open({ amount: '20.00' }));
    state = run(state, { type: 'give_provisional_credit', ...onCase, amount: '5.00' });
    expect(accountOf(state).balanceMinor).toBe(7_500n);
    when(state, { type: 'give_provisional_credit', ...onCase }).thenRefused('invalid_transition');
    const decided = decide(
      { type: 'resolve_dispute', ...onCase, outcome: 'won', note: 'ok' },
      state,
      NOW,
    );
    expect(decided.map((d) => d.event.type)).toEqual([
      'dispute_resolved',
      'charge_dispute_closed',
      'disputed_charge_refunded',
    ]);
    state = run(state, { type: 'resolve_dispute', ...onCase, outcome: 'won', note: 'ok' });
    expect(accountOf(state).balanceMinor).toBe(9_000n);
    expect(state.charges.get(CHARGE)).toMatchObject({ reversedMinor: 2_000n, disputeId: null });
    // The rest of the charge is still reversible by hand; no more.
    when(state, {
      type: 'reverse_charge',
      accountId: 'a',
      originalEventId: CHARGE,
      amount: '10.01',
      reason: 'x',
    }).thenRefused('reversal_exceeds_original', /10.00 USD/);
  });

  it('lost: the provisional credit is taken back as far as funds allow; a deposit collects the rest', () => {
    let state = run(charged(), open());
    state = run(state, { type: 'give_provisional_credit', ...onCase });
    // The customer spends most of the credit before the case is lost.
    state = run(state, {
      type: 'withdraw',
      accountId: 'a',
      amount: '90.00',
      destination: '',
      reference: '',
    });
    expect(accountOf(state).balanceMinor).toBe(1_000n);
    state = run(state, {
      type: 'resolve_dispute',
      ...onCase,
      outcome: 'lost',
      note: 'Merchant proved delivery',
    });
    expect(caseOf(state)).toMatchObject({
      status: 'lost',
      clawedBackMinor: 1_000n,
      shortfallMinor: 2_000n,
    });
    expect(accountOf(state).balanceMinor).toBe(0n);
    expect(accountOf(state).shortfalls.get(CASE)?.outstandingMinor).toBe(2_000n);
    // What was taken back no longer counts as given back on the charge; what is owed still does.
    expect(state.charges.get(CHARGE)).toMatchObject({ reversedMinor: 2_000n, disputeId: null });

    const depositing = { type: 'deposit', accountId: 'a', source: '', reference: '' } as const;
    expect(
      decide({ ...depositing, amount: '15.00' }, state, NOW).map((d) => [
        d.event.type,
        'amountMinor' in d.event.data ? d.event.data.amountMinor : null,
      ]),
    ).toEqual([
      ['funds_deposited', 1_500n],
      ['shortfall_collected', 1_500n],
    ]);
    state = run(state, { ...depositing, amount: '15.00' });
    state = run(state, { ...depositing, amount: '100.00' });
    expect(accountOf(state).shortfalls.size).toBe(0);
    expect(accountOf(state).balanceMinor).toBe(9_500n);
    when(state, { type: 'write_off_shortfall', ...onCase, reason: 'x' }).thenRefused(
      'nothing_outstanding',
    );
  });

  it('an incoming transfer collects too, and an admin may write off what is left', () => {
    let state = run(
      given(
        opened('a'),
        opened('b'),
        deposited('a', 3_000n),
        deposited('b', 500n),
        withdrawn('a', 3_000n, CHARGE),
      ),
      open(),
    );
    state = run(state, { type: 'give_provisional_credit', ...onCase });
    state = run(state, {
      type: 'withdraw',
      accountId: 'a',
      amount: '30.00',
      destination: '',
      reference: '',
    });
    state = run(state, {
      type: 'resolve_dispute',
      ...onCase,
      outcome: 'withdrawn',
      note: 'Customer withdrew',
    });
    expect(accountOf(state).shortfalls.get(CASE)?.outstandingMinor).toBe(3_000n);
    state = run(state, {
      type: 'transfer',
      transferId: 't',
      fromAccountId: 'b',
      toAccountId: 'a',
      amount: '5.00',
      reference: '',
    });
    expect(accountOf(state).shortfalls.get(CASE)?.outstandingMinor).toBe(2_500n);
    state = run(state, { type: 'write_off_shortfall', ...onCase, reason: 'Customer bankrupt' });
    expect(accountOf(state).shortfalls.size).toBe(0);
    expect(caseOf(state).writtenOffMinor).toBe(2_500n);
  });
});

describe('evidence', () => {
  it('files are staged until submitted, and nothing is added once the case is resolved', () => {
    let state = run(charged(), open());
    const file = {
      type: 'add_dispute_evidence',
      disputeId: CASE,
      evidenceId: EVIDENCE,
      fileName: 'receipt.pdf',
      contentType: 'application/pdf',
      sizeBytes: 1234,
      sha256: 'a'.repeat(64),
    } as const;
    when(state, { ...file, contentType: 'text/html' }).thenRefused('unsupported_media_type');
    when(state, { ...file, sizeBytes: 6 * 1024 * 1024 }).thenRefused('payload_too_large');
    state = run(state, file);
    when(state, file).thenRefused('validation_error', /already on the case/);
    expect(caseOf(state).evidence).toEqual([
      expect.objectContaining({ kind: 'file', submitted: false }),
    ]);
    state = run(state, { type: 'resolve_dispute', ...onCase, outcome: 'withdrawn', note: 'n' });
    when(state, { ...file, evidenceId: '0195a1b2-c3d4-7e5f-8a9b-0000000e0001' }).thenRefused(
      'invalid_transition',
    );
    expect(state.dispute.get(CASE)?.version).toBe(3);
    expect(refOf('dispute', CASE).kind).toBe('dispute');
  });
});

describe('a charge is never given back twice', () => {
  /** A case lost after the customer spent the provisional credit: 30.00 is owed. */
  const lostWithShortfall = () => {
    let state = run(
      given(opened('a'), deposited('a', 3_000n), withdrawn('a', 3_000n, CHARGE)),
      open(),
    );
    state = run(state, { type: 'give_provisional_credit', ...onCase });
    state = run(state, {
      type: 'withdraw',
      accountId: 'a',
      amount: '30.00',
      destination: '',
      reference: '',
    });
    return run(state, { type: 'resolve_dispute', ...onCase, outcome: 'lost', note: 'n' });
  };

  it('what a lost case could not take back still counts against the charge', () => {
    const state = lostWithShortfall();
    expect(state.charges.get(CHARGE)).toMatchObject({ reversedMinor: 3_000n, disputeId: null });
    // Neither a second case nor a reversal by hand can give the same money again.
    when(state, open({ disputeId: '0195a1b2-c3d4-7e5f-8a9b-0000000d1509' })).thenRefused(
      'amount_exceeds_reversible',
    );
    when(state, {
      type: 'reverse_charge',
      accountId: 'a',
      originalEventId: CHARGE,
      reason: 'again',
    }).thenRefused('reversal_exceeds_original');
    // Written off, it stays given back.
    const written = run(state, { type: 'write_off_shortfall', ...onCase, reason: 'gone' });
    expect(written.charges.get(CHARGE)?.reversedMinor).toBe(3_000n);
  });

  it('what is owed is not available: freed funds stay until the debt is paid', () => {
    const holdId = '0195a1b2-c3d4-7e5f-8a9b-00000000b0b0';
    let state = run(
      given(opened('a'), deposited('a', 3_000n), withdrawn('a', 3_000n, CHARGE)),
      open(),
    );
    state = run(state, { type: 'give_provisional_credit', ...onCase });
    state = run(state, {
      type: 'place_hold',
      holdId,
      accountId: 'a',
      amount: '30.00',
      reason: 'auth',
      reference: '',
      expiresAt: null,
    });
    state = run(state, { type: 'resolve_dispute', ...onCase, outcome: 'lost', note: 'n' });
    // Nothing was available to take back: all 30.00 is owed.
    expect(accountOf(state).shortfalls.get(CASE)?.outstandingMinor).toBe(3_000n);
    state = run(state, { type: 'release_hold', holdId, accountId: 'a', reason: 'cancelled' });
    when(state, {
      type: 'withdraw',
      accountId: 'a',
      amount: '0.01',
      destination: '',
      reference: '',
    }).thenRefused('insufficient_funds', /owed from lost disputes/);
  });

  it('a stored history that resolves a case twice, or refunds the wrong amount, does not fold', () => {
    const state = run(charged(), open());
    const resolved = {
      target: refOf('dispute', CASE),
      event: {
        type: 'dispute_resolved',
        schemaVersion: 1,
        data: {
          outcome: 'won',
          note: 'n',
          currency: 'USD',
          refundedMinor: 999_999n,
          clawedBackMinor: 0n,
          outstandingMinor: 0n,
        },
      },
    } as const;
    const sequenced = (version: number) => [
      {
        eventId: '0195a1b2-c3d4-7e5f-8a9b-0000000f0001',
        target: resolved.target,
        version,
        occurredAt: NOW,
        event: resolved.event,
      },
    ];
    expect(() => applyEvents(state, sequenced(2))).toThrow(/does not add up/);
    const right = { ...resolved.event, data: { ...resolved.event.data, refundedMinor: 3_000n } };
    const once = applyEvents(state, [{ ...sequenced(2)[0]!, event: right }]);
    expect(() => applyEvents(once, [{ ...sequenced(3)[0]!, event: right }])).toThrow(
      /moves won to won/,
    );
  });
});
