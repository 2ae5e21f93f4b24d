// Demo data: a handful of accounts with six months of believable history, generated
// deterministically from a seed so that every fresh demo looks the same. Everything goes through
// the import path, and so through the decider: the history obeys the ledger's rules.
//
// The cast: Alice disputes a charge from an electronics shop (a case with provisional credit and
// evidence, won); Bob's duplicate card charge is an open case nobody has picked up, now overdue; a
// short payroll deposit of Bob's was corrected weeks later, backdated; Bob and Alice send each other
// money; Carol's business account was frozen after a suspected account
// takeover; a merchant settlement account is busy, with thousands of events; a yen account and a
// dinar account show currencies with 0 and 3 minor digits.

import { formatAmount } from '../../ledger/money';
import type { CurrencyCode } from '../../ledger/currencies';
import type { HistoricalCommand } from '../import/import-history';
import { uuidv7 } from '../ids';

export const DEMO_ACCOUNTS = {
  alice: 'acc_alice_checking',
  bob: 'acc_bob_checking',
  carol: 'acc_carol_business',
  merchant: 'acc_merchant_settlement',
  yen: 'acc_kenji_yen',
  dinar: 'acc_fatima_dinar',
} as const;

/** The demo's disputed charge, so documentation and tests can point at it. */
export const DISPUTED_CHARGE_REFERENCE = 'ELECTROSHOP ONLINE #88412';

const DAY_MS = 86_400_000;

/** A small deterministic PRNG (mulberry32): the same seed gives the same demo. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Draft {
  at: number;
  order: number;
  command: HistoricalCommand['command'];
  eventIds?: string[];
  actor?: string;
}

/**
 * The demo history, ending shortly before `now`, sorted by time. `busyEvents` sets the size of
 * the merchant account's history.
 */
export function demoHistory(options: {
  now: Date;
  busyEvents?: number;
  seed?: number;
}): HistoricalCommand[] {
  const next = random(options.seed ?? 20260315);
  const end = options.now.getTime() - 2 * 60 * 60 * 1000;
  const start = end - 182 * DAY_MS;
  const drafts: Draft[] = [];
  let order = 0;
  const add = (at: number, command: Draft['command'], extra: Partial<Draft> = {}) => {
    drafts.push({ at: Math.round(at), order: (order += 1), command, ...extra });
  };
  const money = (minor: number, currency: CurrencyCode = 'USD') =>
    formatAmount(BigInt(Math.max(1, Math.round(minor))), currency);
  const between = (min: number, max: number) => min + next() * (max - min);
  const open = (accountId: string, ownerId: string, currency: CurrencyCode, at: number) =>
    add(at, { type: 'open_account', accountId, ownerId, currency });

  open(DEMO_ACCOUNTS.alice, 'cust_alice_johnson', 'USD', start);
  open(DEMO_ACCOUNTS.bob, 'cust_bob_martinez', 'USD', start + 3_600_000);
  open(DEMO_ACCOUNTS.carol, 'biz_carol_designs', 'USD', start + 2 * 3_600_000);
  open(DEMO_ACCOUNTS.merchant, 'biz_northwind_market', 'USD', start + 3 * 3_600_000);
  open(DEMO_ACCOUNTS.yen, 'cust_kenji_sato', 'JPY', start + 4 * 3_600_000);
  open(DEMO_ACCOUNTS.dinar, 'cust_fatima_alkhalifa', 'BHD', start + 5 * 3_600_000);

  // Payroll twice a month, rent, groceries and card spending for Alice and Bob.
  for (let day = 1; day < 182; day += 1) {
    const dayStart = start + day * DAY_MS;
    if (day % 14 === 1) {
      add(dayStart + 9 * 3_600_000, {
        type: 'deposit',
        accountId: DEMO_ACCOUNTS.alice,
        amount: money(412_500),
        source: 'ACH payroll',
        reference: `PAYROLL-${day}`,
      });
      add(dayStart + 9.5 * 3_600_000, {
        type: 'deposit',
        accountId: DEMO_ACCOUNTS.bob,
        amount: money(298_000),
        source: 'ACH payroll',
        reference: `PAYROLL-${day}`,
      });
    }
    if (day % 30 === 3) {
      add(dayStart + 10 * 3_600_000, {
        type: 'withdraw',
        accountId: DEMO_ACCOUNTS.alice,
        amount: money(185_000),
        destination: 'Rent — Parkside Apartments',
        reference: `RENT-${day}`,
      });
    }
    for (const [accountId, chance] of [
      [DEMO_ACCOUNTS.alice, 0.7],
      [DEMO_ACCOUNTS.bob, 0.6],
    ] as const) {
      if (next() < chance) {
        const shop = [
          'Green Grocer',
          'City Transit',
          'Corner Café',
          'BookNook',
          'FuelStop',
          'PharmaPlus',
        ][Math.floor(next() * 6)];
        add(dayStart + between(11, 21) * 3_600_000, {
          type: 'withdraw',
          accountId,
          amount: money(between(450, 9_800)),
          destination: `Card — ${shop}`,
          reference: `CARD-${day}-${Math.floor(next() * 1e6)}`,
        });
      }
    }
    if (day % 21 === 5) {
      add(dayStart + 18 * 3_600_000, {
        type: 'transfer',
        transferId: uuidv7(dayStart),
        fromAccountId: DEMO_ACCOUNTS.alice,
        toAccountId: DEMO_ACCOUNTS.bob,
        amount: money(between(2_000, 15_000)),
        reference: 'Dinner split',
      });
    }
    if (day % 33 === 7) {
      add(dayStart + 19 * 3_600_000, {
        type: 'transfer',
        transferId: uuidv7(dayStart + 1),
        fromAccountId: DEMO_ACCOUNTS.bob,
        toAccountId: DEMO_ACCOUNTS.alice,
        amount: money(between(5_000, 25_000)),
        reference: 'Concert tickets',
      });
    }
  }

  // The disputed charge: 349.99 at an electronics shop. Alice's case gets 100.00 of provisional
  // credit while the merchant responds, a note, is submitted, and is won: the rest is refunded.
  const chargeAt = start + 96 * DAY_MS + 15 * 3_600_000 + 12 * 60_000;
  const chargeId = uuidv7(chargeAt);
  add(
    chargeAt,
    {
      type: 'withdraw',
      accountId: DEMO_ACCOUNTS.alice,
      amount: '349.99',
      destination: 'Card — ElectroShop Online',
      reference: DISPUTED_CHARGE_REFERENCE,
    },
    { eventIds: [chargeId] },
  );
  const caseAt = chargeAt + 2 * DAY_MS;
  const aliceCase = {
    disputeId: uuidv7(caseAt),
    accountId: DEMO_ACCOUNTS.alice,
    chargeEventId: chargeId,
  };
  const support = { actor: 'user:support.demo' };
  add(
    caseAt,
    {
      type: 'open_dispute',
      ...aliceCase,
      reasonCode: 'product_not_received',
      description:
        'Ordered a pair of headphones on the 3rd; nothing arrived and the shop stopped answering.',
      dueBy: null,
      dueDays: 30,
    },
    support,
  );
  add(
    caseAt + 3_600_000,
    {
      type: 'add_dispute_note',
      disputeId: aliceCase.disputeId,
      evidenceId: uuidv7(caseAt + 3_600_000),
      text: 'Carrier tracking shows a label was created but the parcel was never scanned.',
    },
    support,
  );
  add(
    chargeAt + 3 * DAY_MS,
    { type: 'give_provisional_credit', ...aliceCase, amount: '100.00' },
    support,
  );
  add(
    chargeAt + 4 * DAY_MS,
    { type: 'submit_dispute_evidence', disputeId: aliceCase.disputeId },
    support,
  );
  add(
    chargeAt + 17 * DAY_MS,
    {
      type: 'resolve_dispute',
      ...aliceCase,
      outcome: 'won',
      note: 'Issuer upheld the claim: item never delivered.',
    },
    support,
  );

  // Bob's duplicate charge, reported three weeks ago and still waiting for someone to own it.
  const duplicateAt = end - 23 * DAY_MS;
  const firstCharge = uuidv7(duplicateAt);
  const secondCharge = uuidv7(duplicateAt + 60_000);
  for (const [offset, eventId] of [
    [0, firstCharge],
    [60_000, secondCharge],
  ] as const)
    add(
      duplicateAt + offset,
      {
        type: 'withdraw',
        accountId: DEMO_ACCOUNTS.bob,
        amount: '64.20',
        destination: 'Card — Metro Fitness',
        reference: 'METRO FITNESS MEMBERSHIP',
      },
      { eventIds: [eventId] },
    );
  add(
    duplicateAt + 2 * DAY_MS,
    {
      type: 'open_dispute',
      disputeId: uuidv7(duplicateAt + 2 * DAY_MS),
      accountId: DEMO_ACCOUNTS.bob,
      chargeEventId: secondCharge,
      reasonCode: 'duplicate',
      description: 'The gym charged my membership twice within a minute.',
      dueBy: null,
      dueDays: 14,
    },
    support,
  );

  // A payroll deposit of Bob's posted short: found three weeks later and corrected, backdated to
  // the payday (approved by a second admin, as every correction is). The account as known now
  // counts it from the payday; as Chronicle showed it before the correction, it does not.
  const shortPayday = start + 127 * DAY_MS + 9.5 * 3_600_000;
  add(
    shortPayday + 21 * DAY_MS,
    {
      type: 'record_correction',
      accountId: DEMO_ACCOUNTS.bob,
      kind: 'deposit',
      amount: '150.00',
      effectiveAt: new Date(shortPayday).toISOString(),
      reason: 'Payroll of the payday posted 150.00 short (employer confirmed)',
    },
    { actor: 'user:admin.demo' },
  );

  // Carol's business: invoices paid in, suppliers paid out, then frozen after a takeover attempt.
  for (let week = 0; week < 20; week += 1) {
    const weekStart = start + week * 7 * DAY_MS + DAY_MS;
    add(weekStart + 10 * 3_600_000, {
      type: 'deposit',
      accountId: DEMO_ACCOUNTS.carol,
      amount: money(between(150_000, 620_000)),
      source: 'Wire — client invoice',
      reference: `INV-${1040 + week}`,
    });
    add(weekStart + 3 * DAY_MS, {
      type: 'withdraw',
      accountId: DEMO_ACCOUNTS.carol,
      amount: money(between(40_000, 180_000)),
      destination: 'Supplier payment',
      reference: `PO-${7710 + week}`,
    });
  }
  const freezeAt = start + 141 * DAY_MS + 2 * 3_600_000;
  add(
    freezeAt,
    {
      type: 'freeze_account',
      accountId: DEMO_ACCOUNTS.carol,
      reason: 'Suspected account takeover: login from new device followed by a payee change',
    },
    { actor: 'user:admin.demo' },
  );
  add(freezeAt + 2 * DAY_MS, {
    type: 'deposit',
    accountId: DEMO_ACCOUNTS.carol,
    amount: '2750.00',
    source: 'Wire — client invoice',
    reference: 'INV-1061',
  });

  // Yen and dinar accounts: whole yen, and dinars with three decimals.
  for (let month = 0; month < 6; month += 1) {
    const monthStart = start + month * 30 * DAY_MS + 2 * DAY_MS;
    add(monthStart + 8 * 3_600_000, {
      type: 'deposit',
      accountId: DEMO_ACCOUNTS.yen,
      amount: money(between(180_000, 320_000), 'JPY'),
      source: 'Salary',
      reference: `SAL-${month + 1}`,
    });
    add(monthStart + 5 * DAY_MS, {
      type: 'withdraw',
      accountId: DEMO_ACCOUNTS.yen,
      amount: money(between(20_000, 90_000), 'JPY'),
      destination: 'Konbini',
      reference: `K-${month + 1}`,
    });
    add(monthStart + 9 * 3_600_000, {
      type: 'deposit',
      accountId: DEMO_ACCOUNTS.dinar,
      amount: money(between(600_000, 900_000), 'BHD'),
      source: 'Salary',
      reference: `SAL-${month + 1}`,
    });
    add(monthStart + 6 * DAY_MS, {
      type: 'withdraw',
      accountId: DEMO_ACCOUNTS.dinar,
      amount: money(between(50_000, 250_000), 'BHD'),
      destination: 'Utilities',
      reference: `UTIL-${month + 1}`,
    });
  }

  // The merchant settlement account: card sales settle in, refunds and payouts go out.
  const busyEvents = options.busyEvents ?? 4_000;
  const merchantStart = start + 4 * 3_600_000;
  const step = (end - merchantStart) / (busyEvents + 1);
  let merchantBalance = 0;
  for (let index = 1; index <= busyEvents; index += 1) {
    const at = merchantStart + index * step;
    const roll = next();
    if (roll < 0.8 || merchantBalance < 50_000) {
      const amount = Math.round(between(500, 25_000));
      merchantBalance += amount;
      add(at, {
        type: 'deposit',
        accountId: DEMO_ACCOUNTS.merchant,
        amount: money(amount),
        source: 'Card settlement',
        reference: `SETTLE-${index}`,
      });
    } else if (roll < 0.95) {
      const amount = Math.round(between(300, Math.min(8_000, merchantBalance)));
      merchantBalance -= amount;
      add(at, {
        type: 'withdraw',
        accountId: DEMO_ACCOUNTS.merchant,
        amount: money(amount),
        destination: 'Customer refund',
        reference: `REFUND-${index}`,
      });
    } else {
      const amount = Math.round(merchantBalance * between(0.3, 0.7));
      merchantBalance -= amount;
      add(at, {
        type: 'withdraw',
        accountId: DEMO_ACCOUNTS.merchant,
        amount: money(amount),
        destination: 'Payout — Northwind Market operating account',
        reference: `PAYOUT-${index}`,
      });
    }
  }
  // The quarter's card-network settlement, the day before the demo ends: the payout a support
  // user then asks for (seed-demo-approval.ts) waits in the Approvals inbox.
  add(end - DAY_MS, {
    type: 'deposit',
    accountId: DEMO_ACCOUNTS.merchant,
    amount: '48250.00',
    source: 'Card network — quarterly settlement',
    reference: 'SETTLE-Q4',
  });

  drafts.sort((a, b) => a.at - b.at || a.order - b.order);
  return drafts.map((draft) => ({
    command: draft.command,
    occurredAt: new Date(draft.at),
    ...(draft.eventIds ? { eventIds: draft.eventIds } : {}),
    ...(draft.actor ? { actor: draft.actor } : {}),
  }));
}
