// The account's rows: `accounts` (its current state), `balance_history` (its balance after every
// event, for point-in-time questions), `charges` (what may be reversed) and `account_holds` (the
// holds still reserving its funds). Loaded under lock for the deciders, written in the same
// transaction as the events. The states come from the domain's fold, so a row is exactly what a
// full replay would produce.

import {
  outstandingOf,
  type AccountHold,
  type OpenAccount,
} from '../../../ledger/account/account-state';
import { chargeIdOf, type ChargeState } from '../../../ledger/account/charge';
import type { CurrencyCode } from '../../../ledger/currencies';
import { balanceDelta, accountStreamId } from '../../../ledger/events';
import { writeRowSets } from '../../db/json-rows';
import { namedStatement } from '../../db/pool';
import { ConcurrencyError } from '../../event-store/event-store-errors';
import type {
  AggregateStore,
  LoadedAggregate,
  ProjectedEvent,
} from '../../pipeline/aggregate-store';

interface LockedAccountRow {
  id: string;
  owner_id: string;
  currency: string;
  balance_minor: string;
  frozen: boolean;
  frozen_reason: string | null;
  corrections_minor: string;
  version: number;
  opened_at: Date;
  last_occurred_at: Date;
  last_event_hash: string;
  hold_count: number;
  shortfalls: Array<{ disputeId: string; chargeEventId: string; outstandingMinor: string }>;
}

interface HoldsRow {
  account_id: string;
  holds: Array<{ holdId: string; remainingMinor: string; expiresAt: string | null }>;
}

const lockAccounts = namedStatement<LockedAccountRow>(
  'lock_accounts',
  // Locked in one fixed (bytewise) order, so that overlapping batches and transfers cannot
  // deadlock.
  `SELECT a.id, a.owner_id, a.currency, a.balance_minor::text AS balance_minor, a.frozen, a.frozen_reason,
          a.corrections_minor::text AS corrections_minor, a.version, a.opened_at, a.last_occurred_at, a.last_event_hash, a.hold_count,
          a.shortfalls
     FROM accounts a
    WHERE a.id = ANY($1::text[])
    ORDER BY a.id COLLATE "C"
      FOR UPDATE OF a`,
);

const loadHolds = namedStatement<HoldsRow>(
  'load_account_holds',
  // A statement of its own, run once the accounts are locked: a statement that waited for a row
  // lock sees that row as its holder committed it, but everything else — a subquery on
  // account_holds included — as of when the statement began, which would miss the holds the
  // lock's previous holder just placed.
  `SELECT h.account_id,
          json_agg(json_build_object('holdId', h.hold_id, 'remainingMinor', h.remaining_minor::text,
                                     'expiresAt', h.expires_at)) AS holds
     FROM account_holds h
    WHERE h.account_id = ANY($1::text[])
    GROUP BY h.account_id`,
);

function toState(row: LockedAccountRow, holds: HoldsRow['holds']): OpenAccount {
  return {
    status: 'open',
    accountId: row.id,
    ownerId: row.owner_id,
    currency: row.currency as CurrencyCode,
    balanceMinor: BigInt(row.balance_minor),
    holds: new Map(
      holds.map((hold) => [
        hold.holdId,
        {
          holdId: hold.holdId,
          remainingMinor: BigInt(hold.remainingMinor),
          expiresAt: hold.expiresAt === null ? null : new Date(hold.expiresAt),
        },
      ]),
    ),
    shortfalls: new Map(
      row.shortfalls.map((owed) => [
        owed.disputeId,
        {
          disputeId: owed.disputeId,
          chargeEventId: owed.chargeEventId,
          outstandingMinor: BigInt(owed.outstandingMinor),
        },
      ]),
    ),
    isFrozen: row.frozen,
    frozenReason: row.frozen_reason,
    correctionsMinor: BigInt(row.corrections_minor),
    version: row.version,
    openedAt: row.opened_at,
    lastOccurredAt: row.last_occurred_at,
  };
}

// The columns of each part's rows, as the JSON parameters carry them.
const UPDATED_ACCOUNT = `id text, expected_version int, balance_minor bigint, frozen bool, frozen_reason text,
  corrections_minor bigint, version int, last_occurred_at timestamptz, last_global_position bigint,
  last_event_hash text, hold_count int, shortfalls jsonb`;
const OPENED_ACCOUNT = `id text, owner_id text, currency text, balance_minor bigint, frozen bool,
  frozen_reason text, corrections_minor bigint, version int, opened_at timestamptz, last_occurred_at timestamptz,
  last_global_position bigint, last_event_hash text, hold_count int, shortfalls jsonb`;
const BALANCE_HISTORY_ROW = `account_id text, version int, event_id uuid, event_type text, occurred_at timestamptz,
  amount_delta_minor bigint, balance_after_minor bigint, owed_after_minor bigint, frozen_after bool,
  global_position bigint, corrections_after_minor bigint`;
const CORRECTION_ROW = `event_id uuid, account_id text, version int, delta_minor bigint,
  effective_at timestamptz, recorded_at timestamptz, corrects_event_id text`;
const NEW_CHARGE = `event_id uuid, account_id text, amount_minor bigint, reversed_minor bigint,
  dispute_id uuid, disputed_minor bigint, provisional_minor bigint, occurred_at timestamptz`;
const CHANGED_CHARGE = `event_id uuid, previous_reversed_minor bigint, reversed_minor bigint,
  previous_dispute_id uuid, dispute_id uuid, disputed_minor bigint, provisional_minor bigint`;
const ADDED_HOLD = `account_id text, hold_id uuid, remaining_minor bigint, expires_at timestamptz`;

export const accountStore: AggregateStore<'account'> = {
  async lockAndLoad(tx, ids) {
    const loaded = new Map<string, LoadedAggregate<OpenAccount>>();
    if (ids.length === 0) return loaded;
    const locked = (await lockAccounts(tx, [ids])).rows;
    // Most accounts hold nothing: their holds cost no second statement.
    const holding = locked.filter((row) => row.hold_count > 0).map((row) => row.id);
    const holds = new Map(
      holding.length === 0
        ? []
        : (await loadHolds(tx, [holding])).rows.map((row) => [row.account_id, row.holds]),
    );
    for (const row of locked) {
      const state = toState(row, holds.get(row.id) ?? []);
      loaded.set(row.id, {
        state,
        head: { version: row.version, hash: row.last_event_hash, occurredAt: row.last_occurred_at },
      });
    }
    return loaded;
  },

  async project(tx, { before, after, events }) {
    const lastEvent = new Map<string, ProjectedEvent<'account'>>();
    for (const event of events) lastEvent.set(event.target.id, event);

    const updated: object[] = [];
    const opened: object[] = [];
    const holdsAdded: object[] = [];
    const holdsChanged: object[] = [];
    const holdsRemoved: object[] = [];
    for (const [accountId, last] of lastEvent) {
      const state = after.account.get(accountId) as OpenAccount;
      const previous = before.account.get(accountId);
      const row = {
        id: accountId,
        balance_minor: state.balanceMinor.toString(),
        frozen: state.isFrozen,
        frozen_reason: state.frozenReason,
        corrections_minor: state.correctionsMinor.toString(),
        version: state.version,
        last_occurred_at: state.lastOccurredAt.toISOString(),
        last_global_position: last.globalPosition.toString(),
        last_event_hash: last.hash,
        hold_count: state.holds.size,
        shortfalls: [...state.shortfalls.values()].map((owed) => ({
          disputeId: owed.disputeId,
          chargeEventId: owed.chargeEventId,
          outstandingMinor: owed.outstandingMinor.toString(),
        })),
      };
      if (previous?.status === 'open') updated.push({ ...row, expected_version: previous.version });
      else
        opened.push({
          ...row,
          owner_id: state.ownerId,
          currency: state.currency,
          opened_at: state.openedAt.toISOString(),
        });
      const previousHolds =
        previous?.status === 'open' ? previous.holds : new Map<string, AccountHold>();
      for (const [holdId, hold] of state.holds) {
        const was = previousHolds.get(holdId);
        if (!was)
          holdsAdded.push({
            account_id: accountId,
            hold_id: holdId,
            remaining_minor: hold.remainingMinor.toString(),
            expires_at: hold.expiresAt?.toISOString() ?? null,
          });
        else if (was.remainingMinor !== hold.remainingMinor)
          holdsChanged.push({
            account_id: accountId,
            hold_id: holdId,
            remaining_minor: hold.remainingMinor.toString(),
          });
      }
      for (const holdId of previousHolds.keys())
        if (!state.holds.has(holdId)) holdsRemoved.push({ account_id: accountId, hold_id: holdId });
    }

    const history = events.map((event) => {
      const state = event.stateAfter as OpenAccount;
      return {
        account_id: event.target.id,
        version: event.version,
        event_id: event.eventId,
        event_type: event.event.type,
        occurred_at: event.occurredAt.toISOString(),
        amount_delta_minor: balanceDelta(event.event).toString(),
        balance_after_minor: state.balanceMinor.toString(),
        owed_after_minor: outstandingOf(state).toString(),
        frozen_after: state.isFrozen,
        global_position: event.globalPosition.toString(),
        corrections_after_minor: state.correctionsMinor.toString(),
      };
    });
    const corrections = events.flatMap((event) =>
      event.event.type === 'balance_corrected'
        ? [
            {
              event_id: event.eventId,
              account_id: event.target.id,
              version: event.version,
              delta_minor: balanceDelta(event.event).toString(),
              effective_at: event.event.data.effectiveAt.toISOString(),
              recorded_at: event.occurredAt.toISOString(),
              corrects_event_id: event.event.data.correctsEventId || null,
            },
          ]
        : [],
    );

    const newCharges: object[] = [];
    const reversedCharges: object[] = [];
    const changedCharges = new Map<string, ProjectedEvent<'account'>>();
    for (const event of events) {
      const chargeId = chargeIdOf(event);
      if (chargeId !== undefined) changedCharges.set(chargeId, event);
    }
    for (const chargeId of changedCharges.keys()) {
      const charge = after.charges.get(chargeId) as ChargeState;
      const previous = before.charges.get(chargeId);
      const disputeColumns = {
        dispute_id: charge.disputeId,
        disputed_minor: charge.disputedMinor.toString(),
        provisional_minor: charge.provisionalMinor.toString(),
      };
      if (previous)
        reversedCharges.push({
          event_id: chargeId,
          previous_reversed_minor: previous.reversedMinor.toString(),
          reversed_minor: charge.reversedMinor.toString(),
          previous_dispute_id: previous.disputeId,
          ...disputeColumns,
        });
      else {
        const created = events.find(
          (event) => event.eventId === chargeId,
        ) as ProjectedEvent<'account'>;
        newCharges.push({
          event_id: chargeId,
          account_id: charge.accountId,
          amount_minor: charge.amountMinor.toString(),
          // A charge reversed in the batch that created it is stored with its reversal.
          reversed_minor: charge.reversedMinor.toString(),
          ...disputeColumns,
          occurred_at: created.occurredAt.toISOString(),
        });
      }
    }

    // One statement, one part per table that has rows, each fed by a JSON array of named columns.
    const counts = await writeRowSets(tx, 'write_account_projections', [
      {
        name: 'updated',
        rows: updated,
        sql: (rows) => `UPDATE accounts AS a
            SET balance_minor = r.balance_minor, frozen = r.frozen, frozen_reason = r.frozen_reason,
                corrections_minor = r.corrections_minor, version = r.version, updated_at = now(), last_occurred_at = r.last_occurred_at,
                last_global_position = r.last_global_position, last_event_hash = r.last_event_hash,
                hold_count = r.hold_count, shortfalls = r.shortfalls
           FROM ${rows(UPDATED_ACCOUNT)}
          WHERE a.id = r.id AND a.version = r.expected_version
         RETURNING 1`,
      },
      {
        name: 'opened',
        rows: opened,
        sql: (
          rows,
        ) => `INSERT INTO accounts (id, owner_id, currency, balance_minor, frozen, frozen_reason,
                corrections_minor, version, opened_at, updated_at, last_occurred_at,
                last_global_position, last_event_hash, hold_count, shortfalls)
         SELECT r.id, r.owner_id, r.currency, r.balance_minor, r.frozen, r.frozen_reason,
                r.corrections_minor, r.version,
                r.opened_at, now(), r.last_occurred_at, r.last_global_position, r.last_event_hash,
                r.hold_count, r.shortfalls
           FROM ${rows(OPENED_ACCOUNT)}
         RETURNING 1`,
      },
      {
        name: 'history',
        rows: history,
        sql: (
          rows,
        ) => `INSERT INTO balance_history (account_id, version, event_id, event_type, occurred_at,
                amount_delta_minor, balance_after_minor, owed_after_minor, frozen_after, global_position,
                corrections_after_minor)
         SELECT r.account_id, r.version, r.event_id, r.event_type, r.occurred_at, r.amount_delta_minor,
                r.balance_after_minor, r.owed_after_minor, r.frozen_after, r.global_position,
                r.corrections_after_minor
           FROM ${rows(BALANCE_HISTORY_ROW)}
         RETURNING 1`,
      },
      {
        name: 'corrections',
        rows: corrections,
        sql: (rows) => `INSERT INTO balance_corrections (event_id, account_id, version, delta_minor,
                effective_at, recorded_at, corrects_event_id)
         SELECT r.event_id, r.account_id, r.version, r.delta_minor, r.effective_at, r.recorded_at,
                r.corrects_event_id
           FROM ${rows(CORRECTION_ROW)}
         RETURNING 1`,
      },
      {
        name: 'new_charges',
        rows: newCharges,
        sql: (
          rows,
        ) => `INSERT INTO charges (event_id, account_id, amount_minor, reversed_minor, dispute_id,
                disputed_minor, provisional_minor, occurred_at)
         SELECT r.event_id, r.account_id, r.amount_minor, r.reversed_minor, r.dispute_id,
                r.disputed_minor, r.provisional_minor, r.occurred_at
           FROM ${rows(NEW_CHARGE)}
         RETURNING 1`,
      },
      {
        name: 'reversed',
        rows: reversedCharges,
        sql: (rows) => `UPDATE charges AS c
            SET reversed_minor = r.reversed_minor, dispute_id = r.dispute_id,
                disputed_minor = r.disputed_minor, provisional_minor = r.provisional_minor
           FROM ${rows(CHANGED_CHARGE)}
          WHERE c.event_id = r.event_id AND c.reversed_minor = r.previous_reversed_minor
            AND c.dispute_id IS NOT DISTINCT FROM r.previous_dispute_id
         RETURNING 1`,
      },
      {
        name: 'holds_added',
        rows: holdsAdded,
        sql: (rows) => `INSERT INTO account_holds (account_id, hold_id, remaining_minor, expires_at)
         SELECT r.account_id, r.hold_id, r.remaining_minor, r.expires_at
           FROM ${rows(ADDED_HOLD)}
         RETURNING 1`,
      },
      {
        name: 'holds_changed',
        rows: holdsChanged,
        sql: (rows) => `UPDATE account_holds AS h SET remaining_minor = r.remaining_minor
           FROM ${rows('account_id text, hold_id uuid, remaining_minor bigint')}
          WHERE h.account_id = r.account_id AND h.hold_id = r.hold_id
         RETURNING 1`,
      },
      {
        name: 'holds_removed',
        rows: holdsRemoved,
        sql: (rows) => `DELETE FROM account_holds AS h
          USING ${rows('account_id text, hold_id uuid')}
          WHERE h.account_id = r.account_id AND h.hold_id = r.hold_id
         RETURNING 1`,
      },
    ]);
    if (
      counts.updated !== updated.length ||
      counts.reversed !== reversedCharges.length ||
      counts.holds_changed !== holdsChanged.length ||
      counts.holds_removed !== holdsRemoved.length
    ) {
      // The projection rows moved under us although the events appended cleanly: treat it like
      // any other concurrent change and let the caller retry from fresh state.
      const [accountId] = lastEvent.keys();
      throw new ConcurrencyError(
        accountStreamId(accountId ?? 'unknown'),
        before.account.get(accountId ?? '')?.version ?? 0,
      );
    }
  },
};
