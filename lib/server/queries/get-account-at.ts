// "What did this account look like at 2:47 PM on March 15?" answered by index lookups: the last
// balance_history row of the account at or before the instant (what was posted), and the holds
// that were reserving funds then — each hold's last hold_history row at or before the instant,
// and its expiry compared with the instant itself, so a hold stops counting exactly when it
// expired. Two time axes (docs/decisions/003-time-axes.md, 013-approvals-and-corrections.md):
// `at` is the effective instant — what had happened by then, backdated corrections included at
// their effective instants — and `knownAt` (default: now) keeps only what had entered the ledger
// by then, so an auditor can see what Chronicle showed before a correction was made.

import type { CurrencyCode } from '../../ledger/currencies';
import { accountStreamId } from '../../ledger/events';
import { getPool, namedStatement, type Queryable } from '../db/pool';
import type { AccountRecord } from '../aggregates/account/account-record';

/** A hold as it stood at an instant: reserving `remainingMinor` then. */
export interface HoldAt {
  readonly id: string;
  readonly amountMinor: bigint;
  readonly remainingMinor: bigint;
  readonly reason: string;
  readonly reference: string;
  readonly placedAt: Date;
  readonly expiresAt: Date | null;
}

export interface AccountAsOf {
  /**
   * The account as it stood at `asOf`: posted balance and what holds reserved then;
   * `updatedAt` is when its last event up to then took effect.
   */
  readonly account: AccountRecord;
  readonly asOf: Date;
  /** What had been recorded by this instant is all the answer uses; null means "as known now". */
  readonly knownAt: Date | null;
  /** The backdated corrections the balance includes (effective by `asOf`, known by `knownAt`). */
  readonly correctionsMinor: bigint;
  /** The last event applied at that instant. */
  readonly lastEvent: {
    readonly eventId: string;
    readonly version: number;
    readonly type: string;
    readonly occurredAt: Date;
    readonly globalPosition: bigint;
  };
  /** The holds reserving funds at that instant, oldest first. */
  readonly holds: readonly HoldAt[];
}

interface AsOfRow {
  id: string;
  owner_id: string;
  currency: string;
  opened_at: Date;
  version: number;
  balance_after_minor: string;
  owed_after_minor: string;
  frozen_after: boolean;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  global_position_text: string;
  corrections_minor: string;
  holds: Array<{
    id: string;
    amount_minor: string;
    captured_after_minor: string;
    reason: string;
    reference: string;
    placed_at: string;
    expires_at: string | null;
  }>;
}

// Prepared once per connection (parsing and planning it cost more than running it): the slider
// and integrators' `?at=` reads ask it thousands of times a second.
const selectAccountAt = namedStatement<AsOfRow>(
  'account_at',
  `SELECT a.id, a.owner_id, a.currency, a.opened_at, h.version,
            (h.balance_after_minor - h.corrections_after_minor)::text AS balance_after_minor,
            (SELECT coalesce(sum(c.delta_minor), 0) FROM balance_corrections c
              WHERE c.account_id = a.id AND c.effective_at <= $2
                AND ($4::timestamptz IS NULL OR c.recorded_at <= $4))::text AS corrections_minor,
            h.owed_after_minor::text AS owed_after_minor,
            h.frozen_after, h.event_id::text AS event_id, h.event_type, h.occurred_at,
            h.global_position::text AS global_position_text,
            (SELECT coalesce(json_agg(json_build_object(
                      'id', o.hold_id, 'amount_minor', o.amount_minor::text,
                      'captured_after_minor', oh.captured_after_minor::text, 'reason', o.reason,
                      'reference', o.reference, 'placed_at', o.placed_at, 'expires_at', o.expires_at)
                    ORDER BY o.placed_at, o.hold_id), '[]')
               FROM holds o
               JOIN LATERAL (
                 SELECT captured_after_minor, status_after FROM hold_history
                  WHERE hold_id = o.hold_id AND occurred_at <= $3
                  ORDER BY occurred_at DESC, version DESC
                  LIMIT 1
               ) oh ON true
              WHERE o.account_id = a.id AND o.placed_at <= $3
                AND oh.status_after = 'active' AND (o.expires_at IS NULL OR o.expires_at > $3)) AS holds
       FROM accounts a
       JOIN LATERAL (
         SELECT * FROM balance_history
          WHERE account_id = a.id AND occurred_at <= $3
          ORDER BY occurred_at DESC, version DESC
          LIMIT 1
       ) h ON true
      WHERE a.id = $1`,
);

/** Null when the account does not exist, or did not exist yet at `at` (as known at knownAt). */
export async function getAccountAt(options: {
  accountId: string;
  at: Date;
  /** Only what had been recorded by then; absent: as known now. */
  knownAt?: Date | undefined;
  db?: Queryable;
}): Promise<AccountAsOf | null> {
  const db = options.db ?? getPool();
  // Every event but a correction takes effect when it enters the ledger (its occurred_at), so
  // the events in effect by `at` and known by `knownAt` are those up to the earlier of the two;
  // corrections are added by their effective instant, if they had been entered by knownAt.
  const upTo = options.knownAt && options.knownAt < options.at ? options.knownAt : options.at;
  // One statement: the balance row, the corrections in effect and known, and the holds
  // reserving funds then (each hold's last history row at or before the instant; an expiry at
  // or before it ends it).
  const result = await selectAccountAt(db, [
    options.accountId,
    options.at.toISOString(),
    upTo.toISOString(),
    options.knownAt?.toISOString() ?? null,
  ]);
  const row = result.rows[0];
  if (!row) return null;
  const holds: HoldAt[] = row.holds.map((hold) => ({
    id: hold.id,
    amountMinor: BigInt(hold.amount_minor),
    remainingMinor: BigInt(hold.amount_minor) - BigInt(hold.captured_after_minor),
    reason: hold.reason,
    reference: hold.reference,
    placedAt: new Date(hold.placed_at),
    expiresAt: hold.expires_at === null ? null : new Date(hold.expires_at),
  }));
  const frozenReason = row.frozen_after ? await frozenReasonAt(db, row.id, row.version) : null;
  return {
    account: {
      id: row.id,
      ownerId: row.owner_id,
      currency: row.currency as CurrencyCode,
      balanceMinor: BigInt(row.balance_after_minor) + BigInt(row.corrections_minor),
      heldMinor: holds.reduce((sum, hold) => sum + hold.remainingMinor, 0n),
      owedMinor: BigInt(row.owed_after_minor),
      frozen: row.frozen_after,
      frozenReason,
      version: row.version,
      openedAt: row.opened_at,
      lastEventAt: row.occurred_at,
      updatedAt: row.occurred_at,
    },
    asOf: options.at,
    knownAt: options.knownAt ?? null,
    correctionsMinor: BigInt(row.corrections_minor),
    lastEvent: {
      eventId: row.event_id,
      version: row.version,
      type: row.event_type,
      occurredAt: row.occurred_at,
      globalPosition: BigInt(row.global_position_text),
    },
    holds,
  };
}

async function frozenReasonAt(
  db: Queryable,
  accountId: string,
  version: number,
): Promise<string | null> {
  const result = await db.query<{ reason: string }>(
    `SELECT data->>'reason' AS reason FROM events
      WHERE stream_id = $1 AND stream_version <= $2 AND type = 'account_frozen'
      ORDER BY stream_version DESC LIMIT 1`,
    [accountStreamId(accountId), version],
  );
  return result.rows[0]?.reason ?? null;
}
