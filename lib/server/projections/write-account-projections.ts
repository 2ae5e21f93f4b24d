// Keeps the inline projections (accounts, balance_history, charges) in step with the events,
// inside the same transaction as the append. The states are computed by the domain's `evolve`,
// so a projection row is exactly what a full replay would produce.

import {
  chargeIdOf,
  evolve,
  evolveCharge,
  initialState,
  type AccountEvent,
  type AccountState,
  type ChargeState,
  type OpenAccount,
} from '../../ledger/account';
import { accountStreamId, balanceDelta } from '../../ledger/events';
import type { LedgerState } from '../../ledger/decide';
import { namedStatement, type PoolClient } from '../db/pool';
import { ConcurrencyError } from '../event-store/errors';

export interface ProjectionInput {
  /** The state the events were decided against (as loaded, under lock). */
  readonly before: LedgerState;
  /** The events in append order, each with the global position and hash the store gave it. */
  readonly events: ReadonlyArray<
    AccountEvent & { readonly globalPosition: bigint; readonly hash: string }
  >;
}

const writeProjections = namedStatement<{ updated: number; inserted: number; reversed: number }>(
  'write_account_projections',
  `WITH updated AS (
        UPDATE accounts AS a
           SET balance_minor = u.balance_minor, frozen = u.frozen, frozen_reason = u.frozen_reason,
               version = u.version, updated_at = now(), last_occurred_at = u.last_occurred_at,
               last_global_position = u.last_global_position, last_event_hash = u.last_event_hash
          FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bool[], $5::text[], $6::int[], $7::timestamptz[], $8::bigint[],
                      $36::text[])
               AS u(id, expected_version, balance_minor, frozen, frozen_reason, version, last_occurred_at, last_global_position,
                    last_event_hash)
         WHERE a.id = u.id AND a.version = u.expected_version
        RETURNING a.id
      ), inserted AS (
        INSERT INTO accounts (id, owner_id, currency, balance_minor, frozen, frozen_reason, version, opened_at,
                              updated_at, last_occurred_at, last_global_position, last_event_hash)
        SELECT id, owner_id, currency, balance_minor, frozen, frozen_reason, version, opened_at, now(),
               last_occurred_at, last_global_position, last_event_hash
          FROM unnest($9::text[], $10::text[], $11::text[], $12::bigint[], $13::bool[], $14::text[], $15::int[],
                      $16::timestamptz[], $17::timestamptz[], $18::bigint[], $37::text[])
               AS n(id, owner_id, currency, balance_minor, frozen, frozen_reason, version, opened_at, last_occurred_at,
                    last_global_position, last_event_hash)
        RETURNING id
      ), history AS (
        INSERT INTO balance_history (account_id, version, event_id, event_type, occurred_at, amount_delta_minor,
                                     balance_after_minor, frozen_after, global_position)
        SELECT * FROM unnest($19::text[], $20::int[], $21::uuid[], $22::text[], $23::timestamptz[], $24::bigint[],
                             $25::bigint[], $26::bool[], $27::bigint[])
        RETURNING 1
      ), new_charges AS (
        INSERT INTO charges (event_id, account_id, amount_minor, reversed_minor, occurred_at)
        SELECT * FROM unnest($28::uuid[], $29::text[], $30::bigint[], $31::bigint[], $32::timestamptz[])
        RETURNING 1
      ), reversed AS (
        UPDATE charges AS c SET reversed_minor = r.reversed_minor
          FROM unnest($33::uuid[], $34::bigint[], $35::bigint[]) AS r(event_id, previous_reversed_minor, reversed_minor)
         WHERE c.event_id = r.event_id AND c.reversed_minor = r.previous_reversed_minor
        RETURNING c.event_id
      )
      SELECT (SELECT count(*) FROM updated)::int AS updated,
             (SELECT count(*) FROM inserted)::int AS inserted,
             (SELECT count(*) FROM reversed)::int AS reversed,
             (SELECT count(*) FROM history)::int AS history,
             (SELECT count(*) FROM new_charges)::int AS new_charges`,
);

export async function writeAccountProjections(
  tx: PoolClient,
  input: ProjectionInput,
): Promise<LedgerState> {
  const accounts = new Map(input.before.accounts);
  const charges = new Map(input.before.charges);
  const lastPosition = new Map<string, bigint>();
  const lastHash = new Map<string, string>();
  const changedCharges = new Set<string>();
  const history: HistoryRow[] = [];

  for (const applied of input.events) {
    const next = evolve(accounts.get(applied.accountId) ?? initialState, applied) as OpenAccount;
    accounts.set(applied.accountId, next);
    lastPosition.set(applied.accountId, applied.globalPosition);
    lastHash.set(applied.accountId, applied.hash);
    history.push({
      accountId: applied.accountId,
      version: applied.version,
      eventId: applied.eventId,
      eventType: applied.event.type,
      occurredAt: applied.occurredAt,
      deltaMinor: balanceDelta(applied.event),
      balanceAfterMinor: next.balanceMinor,
      frozenAfter: next.isFrozen,
      globalPosition: applied.globalPosition,
    });
    const chargeId = chargeIdOf(applied);
    if (chargeId !== undefined) {
      const charge = evolveCharge(charges.get(chargeId), applied);
      if (charge) {
        charges.set(chargeId, charge);
        changedCharges.add(chargeId);
      }
    }
  }

  const opened: OpenAccount[] = [];
  const updated: Array<{ state: OpenAccount; expectedVersion: number }> = [];
  for (const accountId of lastPosition.keys()) {
    const state = accounts.get(accountId) as OpenAccount;
    const before: AccountState = input.before.accounts.get(accountId) ?? initialState;
    if (before.status === 'unopened') opened.push(state);
    else updated.push({ state, expectedVersion: before.version });
  }
  const newCharges: ChargeState[] = [];
  const reversedCharges: Array<{ charge: ChargeState; previousReversedMinor: bigint }> = [];
  for (const chargeId of changedCharges) {
    const charge = charges.get(chargeId) as ChargeState;
    const previous = input.before.charges.get(chargeId);
    if (previous) reversedCharges.push({ charge, previousReversedMinor: previous.reversedMinor });
    else newCharges.push(charge);
  }
  const chargeOccurredAt = new Map(
    input.events
      .filter((applied) => applied.event.type === 'funds_withdrawn')
      .map((applied) => [applied.eventId, applied.occurredAt]),
  );

  const result = await writeProjections(tx, [
    updated.map(({ state }) => state.accountId),
    updated.map(({ expectedVersion }) => expectedVersion),
    updated.map(({ state }) => state.balanceMinor.toString()),
    updated.map(({ state }) => state.isFrozen),
    updated.map(({ state }) => state.frozenReason),
    updated.map(({ state }) => state.version),
    updated.map(({ state }) => state.lastOccurredAt.toISOString()),
    updated.map(({ state }) => String(lastPosition.get(state.accountId))),
    opened.map((state) => state.accountId),
    opened.map((state) => state.ownerId),
    opened.map((state) => state.currency),
    opened.map((state) => state.balanceMinor.toString()),
    opened.map((state) => state.isFrozen),
    opened.map((state) => state.frozenReason),
    opened.map((state) => state.version),
    opened.map((state) => state.openedAt.toISOString()),
    opened.map((state) => state.lastOccurredAt.toISOString()),
    opened.map((state) => String(lastPosition.get(state.accountId))),
    history.map((row) => row.accountId),
    history.map((row) => row.version),
    history.map((row) => row.eventId),
    history.map((row) => row.eventType),
    history.map((row) => row.occurredAt.toISOString()),
    history.map((row) => row.deltaMinor.toString()),
    history.map((row) => row.balanceAfterMinor.toString()),
    history.map((row) => row.frozenAfter),
    history.map((row) => row.globalPosition.toString()),
    newCharges.map((charge) => charge.eventId),
    newCharges.map((charge) => charge.accountId),
    newCharges.map((charge) => charge.amountMinor.toString()),
    newCharges.map((charge) => charge.reversedMinor.toString()),
    newCharges.map((charge) => (chargeOccurredAt.get(charge.eventId) as Date).toISOString()),
    reversedCharges.map(({ charge }) => charge.eventId),
    reversedCharges.map(({ previousReversedMinor }) => previousReversedMinor.toString()),
    reversedCharges.map(({ charge }) => charge.reversedMinor.toString()),
    updated.map(({ state }) => lastHash.get(state.accountId)),
    opened.map((state) => lastHash.get(state.accountId)),
  ]);
  const counts = result.rows[0];
  if (!counts || counts.updated !== updated.length || counts.reversed !== reversedCharges.length) {
    // The projection rows moved under us although the events appended cleanly: treat it like any
    // other concurrent change and let the caller retry from fresh state.
    const stale = updated[0]?.state.accountId ?? reversedCharges[0]?.charge.accountId ?? 'unknown';
    throw new ConcurrencyError(
      accountStreamId(stale),
      input.before.accounts.get(stale)?.version ?? 0,
    );
  }
  return { accounts, charges };
}

interface HistoryRow {
  accountId: string;
  version: number;
  eventId: string;
  eventType: string;
  occurredAt: Date;
  deltaMinor: bigint;
  balanceAfterMinor: bigint;
  frozenAfter: boolean;
  globalPosition: bigint;
}
