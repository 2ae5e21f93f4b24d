// "What did this account look like at 2:47 PM on March 15?" answered by one index lookup on
// balance_history: the last row of the account whose occurred_at is at or before the instant.
// The time axis is occurred_at, when each movement took effect (docs/decisions/003-time-axes.md).

import type { CurrencyCode } from '../../ledger/currencies';
import { accountStreamId } from '../../ledger/events';
import { getPool, type Queryable } from '../db/pool';
import type { AccountView } from '../projections/account-view';

export interface AccountAsOf {
  /** The account as it stood at `asOf`; `updatedAt` is when its last event up to then took effect. */
  readonly account: AccountView;
  readonly asOf: Date;
  /** The last event applied at that instant. */
  readonly lastEvent: {
    readonly eventId: string;
    readonly version: number;
    readonly type: string;
    readonly occurredAt: Date;
    readonly globalPosition: bigint;
  };
}

interface AsOfRow {
  id: string;
  owner_id: string;
  currency: string;
  opened_at: Date;
  version: number;
  balance_after_minor: string;
  frozen_after: boolean;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  global_position_text: string;
}

/** Null when the account does not exist, or did not exist yet at `at`. */
export async function getAccountAt(options: {
  accountId: string;
  at: Date;
  db?: Queryable;
}): Promise<AccountAsOf | null> {
  const db = options.db ?? getPool();
  const result = await db.query<AsOfRow>(
    `SELECT a.id, a.owner_id, a.currency, a.opened_at, h.version, h.balance_after_minor::text AS balance_after_minor,
            h.frozen_after, h.event_id::text AS event_id, h.event_type, h.occurred_at, h.global_position::text AS global_position_text
       FROM accounts a
       JOIN LATERAL (
         SELECT * FROM balance_history
          WHERE account_id = a.id AND occurred_at <= $2
          ORDER BY occurred_at DESC, version DESC
          LIMIT 1
       ) h ON true
      WHERE a.id = $1`,
    [options.accountId, options.at.toISOString()],
  );
  const row = result.rows[0];
  if (!row) return null;
  const frozenReason = row.frozen_after ? await frozenReasonAt(db, row.id, row.version) : null;
  return {
    account: {
      id: row.id,
      ownerId: row.owner_id,
      currency: row.currency as CurrencyCode,
      balanceMinor: BigInt(row.balance_after_minor),
      frozen: row.frozen_after,
      frozenReason,
      version: row.version,
      openedAt: row.opened_at,
      lastEventAt: row.occurred_at,
      updatedAt: row.occurred_at,
    },
    asOf: options.at,
    lastEvent: {
      eventId: row.event_id,
      version: row.version,
      type: row.event_type,
      occurredAt: row.occurred_at,
      globalPosition: BigInt(row.global_position_text),
    },
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
