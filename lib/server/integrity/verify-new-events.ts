// The incremental verification the background verifier runs every few seconds: it reads the
// events committed since the point it has verified through, in commit-safe order, checks each one
// against its stream's last verified link (integrity_marks), and records how far it got, so the
// work per pass is proportional to what was written since the last one — never the whole log.
// Each pass ends with the head cross-checks, which catch deleted or replaced newest events.
//
// One verifier at a time across app instances: the pass holds a PostgreSQL advisory lock.

import { accountIdOfStream, balanceDelta, decodeLedgerEvent } from '../../ledger/events';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/advisory-lock';
import { transactionOn, type Pool, type PoolClient } from '../db/pool';
import type { GlobalCheckpoint } from '../event-store/read-global-log';
import { checkProjectionHeads, checkStreamHeads, checkVerifiedMarks } from './check-stream-heads';
import {
  STORED_LINK_COLUMNS,
  checkLink,
  mergeProblems,
  type IntegrityProblem,
  type StoredLink,
} from './integrity-problem';

const PAGE_SIZE = 2_000;

export interface IncrementalPass {
  /** False when another instance's verifier held the lock: nothing was done. */
  readonly ran: boolean;
  readonly checkedEvents: number;
  readonly problems: readonly IntegrityProblem[];
}

interface VerifiedLink {
  version: number;
  hash: string;
  /** For an account stream: what its verified events add up to. */
  balanceMinor: bigint | null;
}

/** Verifies everything committed since the last pass. Stops early when `signal` aborts. */
export async function verifyNewEvents(
  db: Pool,
  options: { signal?: AbortSignal; maxEvents?: number } = {},
): Promise<IncrementalPass> {
  const outcome = await withAdvisoryLock(db, ADVISORY_LOCKS.verifyNewEvents, (client) =>
    runPass(client, options),
  );
  return outcome.locked ? outcome.value : { ran: false, checkedEvents: 0, problems: [] };
}

async function runPass(
  client: PoolClient,
  options: { signal?: AbortSignal; maxEvents?: number },
): Promise<IncrementalPass> {
  let checkedEvents = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    if (options.maxEvents !== undefined && checkedEvents >= options.maxEvents) break;
    const verifiedPage = await transactionOn(client, verifyPage);
    checkedEvents += verifiedPage;
    if (verifiedPage < PAGE_SIZE) break;
  }
  // The cross-checks read one consistent snapshot each; they catch what per-link checks cannot.
  const found = [
    ...(await checkStreamHeads(client)),
    ...(await checkProjectionHeads(client)),
    ...(await checkVerifiedMarks(client)),
  ];
  const state = await client.query<{ problems: IntegrityProblem[] }>(
    `UPDATE integrity_state SET checked_at = now() WHERE id RETURNING problems`,
  );
  let problems = state.rows[0]?.problems ?? [];
  const merged = mergeProblems(problems, found);
  if (merged.length !== problems.length) {
    await client.query('UPDATE integrity_state SET problems = $1 WHERE id', [
      JSON.stringify(merged),
    ]);
    problems = merged;
  }
  return { ran: true, checkedEvents, problems };
}

/** Verifies one page of new events and records the result in the same transaction. */
async function verifyPage(tx: PoolClient): Promise<number> {
  const state = (
    await tx.query<{ transaction_id: string; position: string; problems: IntegrityProblem[] }>(
      `SELECT verified_through_transaction::text AS transaction_id,
              verified_through_position::text AS position, problems
         FROM integrity_state WHERE id FOR UPDATE`,
    )
  ).rows[0];
  if (!state) throw new Error('integrity_state has no row: the migrations were not applied');
  const after: GlobalCheckpoint = {
    transactionId: BigInt(state.transaction_id),
    globalPosition: BigInt(state.position),
  };
  const page = await tx.query<StoredLink & { transactionId: string }>(
    `SELECT ${STORED_LINK_COLUMNS}, transaction_id::text AS "transactionId" FROM events
      WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id, events.global_position
      LIMIT $3`,
    [after.transactionId.toString(), after.globalPosition.toString(), PAGE_SIZE],
  );
  const last = page.rows[page.rows.length - 1];
  if (!last) return 0;

  const streamIds = [...new Set(page.rows.map((link) => link.streamId))];
  const marks = new Map<string, VerifiedLink>(
    (
      await tx.query<{
        stream_id: string;
        verified_version: number;
        verified_hash: string;
        verified_balance_minor: string | null;
      }>(
        `SELECT stream_id, verified_version, verified_hash, verified_balance_minor::text AS verified_balance_minor
           FROM integrity_marks WHERE stream_id = ANY($1)`,
        [streamIds],
      )
    ).rows.map((row) => [
      row.stream_id,
      {
        version: row.verified_version,
        hash: row.verified_hash,
        balanceMinor:
          row.verified_balance_minor === null ? null : BigInt(row.verified_balance_minor),
      },
    ]),
  );
  const balances = await balancesAfter(tx, page.rows);
  const broken = new Set(state.problems.map((problem) => problem.streamId));
  const found: IntegrityProblem[] = [];
  const advanced = new Map<string, VerifiedLink>();
  for (const link of page.rows) {
    // A stream already reported broken is not verified further: its later links would only
    // repeat the same finding.
    if (broken.has(link.streamId)) continue;
    const mark = marks.get(link.streamId);
    const problem = checkLink(link, mark) ?? checkBalance(link, mark, balances);
    if (problem) {
      broken.add(link.streamId);
      found.push(problem);
      continue;
    }
    const verified = {
      version: link.streamVersion,
      hash: link.hash,
      balanceMinor: accountIdOfStream(link.streamId)
        ? (mark?.balanceMinor ?? 0n) + deltaOf(link)
        : null,
    };
    marks.set(link.streamId, verified);
    advanced.set(link.streamId, verified);
  }
  await tx.query(
    `INSERT INTO integrity_marks (stream_id, verified_version, verified_hash, verified_balance_minor)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[])
     ON CONFLICT (stream_id) DO UPDATE
       SET verified_version = excluded.verified_version, verified_hash = excluded.verified_hash,
           verified_balance_minor = excluded.verified_balance_minor`,
    [
      [...advanced.keys()],
      [...advanced.values()].map((mark) => mark.version),
      [...advanced.values()].map((mark) => mark.hash),
      [...advanced.values()].map((mark) => mark.balanceMinor?.toString() ?? null),
    ],
  );
  await tx.query(
    `UPDATE integrity_state
        SET verified_through_transaction = $1::text::xid8, verified_through_position = $2,
            verified_events = verified_events + $3, problems = $4, checked_at = now()
      WHERE id`,
    [
      last.transactionId,
      last.globalPosition,
      page.rows.length,
      JSON.stringify(mergeProblems(state.problems, found)),
    ],
  );
  return page.rows.length;
}

/** What an event posted to its account's balance; 0 for an event this build cannot decode. */
function deltaOf(link: StoredLink): bigint {
  try {
    return balanceDelta(decodeLedgerEvent(link));
  } catch {
    return 0n;
  }
}

/** The balance_history rows the page's account events wrote: the balance after each. */
async function balancesAfter(tx: PoolClient, links: readonly StoredLink[]) {
  const accountLinks = links.flatMap((link) => {
    const accountId = accountIdOfStream(link.streamId);
    return accountId ? [{ accountId, version: link.streamVersion }] : [];
  });
  const rows = accountLinks.length
    ? (
        await tx.query<{ account_id: string; version: number; balance_after_minor: string }>(
          `SELECT b.account_id, b.version, b.balance_after_minor::text AS balance_after_minor
             FROM unnest($1::text[], $2::int[]) AS wanted(account_id, version)
             JOIN balance_history b ON b.account_id = wanted.account_id AND b.version = wanted.version`,
          [accountLinks.map((link) => link.accountId), accountLinks.map((link) => link.version)],
        )
      ).rows
    : [];
  return new Map(
    rows.map((row) => [`${row.account_id}\u0000${row.version}`, BigInt(row.balance_after_minor)]),
  );
}

/**
 * For an account event: the balance its account's history records after it must be what the
 * verified events so far add up to. Catches money minted or removed in the projections, with no
 * event to show for it.
 */
function checkBalance(
  link: StoredLink,
  mark: VerifiedLink | undefined,
  balances: ReadonlyMap<string, bigint>,
): IntegrityProblem | undefined {
  const accountId = accountIdOfStream(link.streamId);
  if (!accountId) return undefined;
  const expected = (mark?.balanceMinor ?? 0n) + deltaOf(link);
  const recorded = balances.get(`${accountId}\u0000${link.streamVersion}`);
  if (recorded === expected) return undefined;
  return {
    reason: 'projection_mismatch',
    streamId: link.streamId,
    streamVersion: link.streamVersion,
    eventId: link.eventId,
    globalPosition: link.globalPosition,
    detail:
      recorded === undefined
        ? `the account's history has no balance for version ${link.streamVersion}`
        : `the account's history says balance ${recorded} (minor units) after version ${link.streamVersion}, but its events add up to ${expected}`,
  };
}
