// A signed account statement (docs/formats/evidence-v1.md §7): the account's events over a period
// with the balance after each, the opening and closing balances and totals, each line's inclusion
// proof in a signed checkpoint, and those checkpoints — signed as a whole, so that an auditor can
// check every line and the arithmetic offline with the public key alone. Chronicle refuses to sign
// a statement whose own arithmetic or chain does not hold: it would be vouching for a tamper.

import { sign } from 'node:crypto';
import { AppError } from '../../errors';
import { publicJwk } from '../../evidence/checkpoint';
import {
  STATEMENT_FORMAT,
  checkStatementArithmetic,
  effectiveBalances,
  type SignedStatement,
  type StatementBody,
  type StatementLine,
} from '../../evidence/statement';
import { currencyExponent, type CurrencyCode } from '../../ledger/currencies';
import { canonicalInstant, canonicalJson } from '../../ledger/hash-chain';
import { accountStreamId } from '../../ledger/events';
import type { Queryable } from '../db/pool';
import {
  EVIDENCE_EVENT_COLUMNS,
  proveInclusion,
  toEvidenceEvent,
  type EvidenceEventRow,
} from '../checkpoints/inclusion-proofs';
import { requireSigningKey } from '../checkpoints/require-signing-key';
import { CANONICAL_INSTANT_SQL } from '../checkpoints/seal-checkpoint';

/** The most lines one statement holds; a longer period is asked for in parts. */
export const MAX_STATEMENT_LINES = 10_000;

type LineRow = EvidenceEventRow & { amountDeltaMinor: string; balanceAfterMinor: string };

const LINE_COLUMNS = `${EVIDENCE_EVENT_COLUMNS}, b.amount_delta_minor::text AS "amountDeltaMinor",
  b.balance_after_minor::text AS "balanceAfterMinor"`;

/** Null when the account does not exist. */
export async function buildStatement(options: {
  accountId: string;
  from: Date;
  to: Date;
  /**
   * Only what had entered the ledger by then: the statement Chronicle would have signed at that
   * instant (the stream as it stood then is a prefix of it). Absent: as known now.
   */
  knownAt?: Date | undefined;
  db: Queryable;
}): Promise<SignedStatement | null> {
  const key = requireSigningKey();
  const { accountId, from, to, db } = options;
  if (from.getTime() >= to.getTime())
    throw new AppError('validation_error', '"from" must be before "to".', {
      fieldErrors: { from: 'Must be before "to".' },
    });
  const account = await db.query<{ id: string; owner_id: string; currency: string }>(
    'SELECT id, owner_id, currency FROM accounts WHERE id = $1',
    [accountId],
  );
  const row = account.rows[0];
  if (!row) return null;
  const streamId = accountStreamId(accountId);
  const fromText = canonicalInstant(from);
  const toText = canonicalInstant(to);

  // As known at knownAt: the stream up to the last event entered by then (none: nothing). As
  // known now: up to the head as it is now, so that every read below sees the same prefix of the
  // stream, whatever is recorded meanwhile.
  const known = await db.query<{ version: number | null }>(
    options.knownAt
      ? `SELECT version FROM balance_history WHERE account_id = $1 AND occurred_at <= $2
          ORDER BY occurred_at DESC, version DESC LIMIT 1`
      : 'SELECT version FROM accounts WHERE id = $1',
    options.knownAt ? [accountId, options.knownAt.toISOString()] : [accountId],
  );
  const throughVersion = known.rows[0]?.version ?? 0;
  const joined = `FROM events JOIN balance_history b ON b.account_id = $2 AND b.version = events.stream_version
                  WHERE events.stream_id = $1 AND ($3::int IS NULL OR events.stream_version <= $3)`;
  const anchorRows = await db.query<LineRow>(
    `SELECT ${LINE_COLUMNS} ${joined} AND events.occurred_at <= $4
      ORDER BY events.stream_version DESC LIMIT 1`,
    [streamId, accountId, throughVersion, from.toISOString()],
  );
  const lineRows = await db.query<LineRow>(
    `SELECT ${LINE_COLUMNS} ${joined} AND events.occurred_at > $4 AND events.occurred_at <= $5
      ORDER BY events.stream_version LIMIT $6`,
    [
      streamId,
      accountId,
      throughVersion,
      from.toISOString(),
      to.toISOString(),
      MAX_STATEMENT_LINES + 1,
    ],
  );
  if (lineRows.rows.length > MAX_STATEMENT_LINES)
    throw new AppError(
      'validation_error',
      `The period holds more than ${MAX_STATEMENT_LINES.toLocaleString('en-US')} events; ask for a shorter one.`,
      { fieldErrors: { from: 'Shorten the period.' } },
    );
  // The period by effective time: the corrections recorded after it (by knownAt) that took
  // effect at or before its end, which the lines, in recording order, cannot show.
  const laterRows = await db.query<LineRow>(
    `SELECT ${LINE_COLUMNS} ${joined} AND events.occurred_at > $4
        AND events.event_id IN (SELECT c.event_id FROM balance_corrections c
                                 WHERE c.account_id = $2 AND c.effective_at <= $4)
      ORDER BY events.stream_version LIMIT $5`,
    [streamId, accountId, throughVersion, to.toISOString(), MAX_STATEMENT_LINES + 1],
  );
  if (lineRows.rows.length + laterRows.rows.length > MAX_STATEMENT_LINES)
    throw new AppError(
      'validation_error',
      `The period holds more than ${MAX_STATEMENT_LINES.toLocaleString('en-US')} events and later corrections; ask for a shorter one.`,
      { fieldErrors: { from: 'Shorten the period.' } },
    );
  const anchorRow = anchorRows.rows[0] ?? null;
  const { proofs, checkpoints } = await proveInclusion(db, [
    ...(anchorRow ? [anchorRow] : []),
    ...lineRows.rows,
    ...laterRows.rows,
  ]);
  const line = ({ amountDeltaMinor, balanceAfterMinor, ...event }: LineRow): StatementLine => ({
    event: toEvidenceEvent(event),
    amountDeltaMinor,
    balanceAfterMinor,
    proof: proofs.get(event.eventId) ?? null,
  });
  const lines = lineRows.rows.map(line);
  let credits = 0n;
  let debits = 0n;
  for (const item of lines) {
    const delta = BigInt(item.amountDeltaMinor);
    if (delta > 0n) credits += delta;
    else debits -= delta;
  }
  const opening = anchorRow ? anchorRow.balanceAfterMinor : '0';
  const closing = lines[lines.length - 1]?.balanceAfterMinor ?? opening;
  const laterCorrections = laterRows.rows.map(line);
  const generatedAt = await db.query<{ now: string }>(
    `SELECT ${CANONICAL_INSTANT_SQL('clock_timestamp()')} AS now`,
  );
  const body: StatementBody = {
    format: STATEMENT_FORMAT,
    account: {
      id: row.id,
      ownerId: row.owner_id,
      currency: row.currency,
      currencyExponent: currencyExponent(row.currency as CurrencyCode),
    },
    from: fromText,
    to: toText,
    knownAt: options.knownAt ? canonicalInstant(options.knownAt) : null,
    openingBalanceMinor: opening,
    closingBalanceMinor: closing,
    totals: { creditsMinor: credits.toString(), debitsMinor: debits.toString() },
    effective: effectiveBalances({ from: fromText, opening, closing, lines, laterCorrections }),
    anchor: anchorRow ? line(anchorRow) : null,
    lines,
    checkpoints,
    generatedAt: generatedAt.rows[0]?.now as string,
    keyId: key.keyId,
    publicKey: publicJwk(key.publicKey),
  };
  const problems = checkStatementArithmetic(body);
  if (problems.length > 0)
    throw new AppError(
      'integrity_violation',
      `Account ${accountId}'s stored history does not add up (${problems[0]}); Chronicle will not sign a statement of it. See the integrity report.`,
    );
  return {
    statement: body,
    signature: sign(null, Buffer.from(canonicalJson(body), 'utf8'), key.privateKey).toString(
      'base64',
    ),
  };
}
