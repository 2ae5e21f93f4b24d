// The full verification: recomputes every stream's hash chain from the stored rows, stream by
// stream; replays every account and hold and compares the result with its projection (so money
// minted in `accounts` with no event is found); and runs every head cross-check. Minutes at
// millions of events, so the app only runs it in the verifier's worker thread
// (run-full-verification.ts); tests, the benchmark and the verifier use it directly.

import { outstandingOf } from '../../ledger/account/account-state';
import {
  APPROVAL_COLUMNS,
  approvalRowToState,
  type ApprovalRow,
} from '../aggregates/approval/approval-record';
import {
  DISPUTE_COLUMNS,
  disputeRowToState,
  type DisputeRow,
} from '../aggregates/dispute/dispute-record';
import { LedgerInvariantError, refOfStream, type AggregateRef } from '../../ledger/aggregate';
import { evolveAggregate, type AggregateStates } from '../../ledger/aggregates';
import { decodeLedgerEvent } from '../../ledger/events';
import type { Queryable } from '../db/pool';
import {
  checkProjectionHeads,
  checkStreamHeads,
  checkUnrecordedStreams,
  checkVerifiedMarks,
} from './check-stream-heads';
import {
  MAX_REPORTED_PROBLEMS,
  STORED_LINK_COLUMNS,
  checkLink,
  firstProblem,
  mergeProblems,
  type IntegrityProblem,
  type StoredLink,
} from './integrity-problem';

export interface IntegrityReport {
  readonly ok: boolean;
  readonly checkedEvents: number;
  /** Every problem found (at most MAX_REPORTED_PROBLEMS), in stream order. */
  readonly problems: readonly IntegrityProblem[];
  /** The broken link with the lowest global position, when there is one. */
  readonly firstBroken?: IntegrityProblem;
}

const PAGE_SIZE = 5_000;

/** An aggregate replayed to the end of its stream, to compare with its projection. */
interface Replayed {
  readonly ref: AggregateRef;
  readonly streamId: string;
  readonly state: AggregateStates[AggregateRef['kind']] | undefined;
  /** The history broke a rule of the domain: the replay stopped there. */
  readonly invalid?: string;
}

export async function verifyIntegrity(
  db: Queryable,
  options: { streamId?: string; onProgress?: (checkedEvents: number) => Promise<void> } = {},
): Promise<IntegrityReport> {
  let checkedEvents = 0;
  let problems: IntegrityProblem[] = [];
  let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
  let previous: { streamId: string; version: number; hash: string } | undefined;
  let brokenStream: string | undefined;
  let replaying: { ref: AggregateRef; streamId: string; state?: unknown; invalid?: string } | null =
    null;
  let finished: Replayed[] = [];

  const finish = () => {
    // A stream with a broken link already has its finding; a replay of tampered events would
    // only add noise about its projection.
    if (replaying && replaying.streamId !== brokenStream) finished.push(replaying as Replayed);
    replaying = null;
  };

  for (;;) {
    const page = await db.query<StoredLink>(
      `SELECT ${STORED_LINK_COLUMNS} FROM events
        WHERE (stream_id, stream_version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
        ORDER BY events.stream_id, events.stream_version
        LIMIT $4`,
      [cursor.streamId, cursor.version, options.streamId ?? null, PAGE_SIZE],
    );
    for (const link of page.rows) {
      checkedEvents += 1;
      if (previous?.streamId !== link.streamId) {
        previous = undefined;
        finish();
        const ref = refOfStream(link.streamId);
        if (ref) replaying = { ref, streamId: link.streamId };
      }
      // After the first break in a stream, later links are reported through that one.
      if (brokenStream !== link.streamId) {
        const problem = checkLink(link, previous);
        if (problem) {
          brokenStream = link.streamId;
          if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(problem);
        }
      }
      if (replaying && !replaying.invalid) replay(replaying, link);
      previous = { streamId: link.streamId, version: link.streamVersion, hash: link.hash };
    }
    await options.onProgress?.(checkedEvents);
    const last = page.rows[page.rows.length - 1];
    if (!last || page.rows.length < PAGE_SIZE) break;
    // The stream being replayed may go on in the next page; every other one is complete.
    problems = mergeProblems(problems, await compareWithProjections(db, finished));
    finished = [];
    cursor = { streamId: last.streamId, version: last.streamVersion };
  }
  finish();
  problems = mergeProblems(problems, await compareWithProjections(db, finished));
  problems = mergeProblems(problems, [
    ...(await checkStreamHeads(db, options)),
    ...(await checkProjectionHeads(db, options)),
    ...(await checkVerifiedMarks(db, options)),
    ...(options.streamId ? [] : await checkUnrecordedStreams(db)),
  ]);
  const firstBroken = firstProblem(problems);
  return {
    ok: problems.length === 0,
    checkedEvents,
    problems,
    ...(firstBroken ? { firstBroken } : {}),
  };
}

/** Folds one more stored event into the aggregate being replayed. */
function replay(
  replaying: { ref: AggregateRef; state?: unknown; invalid?: string },
  link: StoredLink,
): void {
  try {
    replaying.state = evolveAggregate(
      replaying.ref.kind,
      replaying.state as AggregateStates[AggregateRef['kind']] | undefined,
      {
        eventId: link.eventId,
        target: replaying.ref,
        version: link.streamVersion,
        occurredAt: new Date(link.occurredAt),
        event: decodeLedgerEvent(link),
      },
    );
  } catch (error) {
    replaying.invalid =
      error instanceof LedgerInvariantError
        ? error.message
        : `version ${link.streamVersion} cannot be decoded`;
  }
}

/** Replayed accounts and holds against their projection rows. */
async function compareWithProjections(
  db: Queryable,
  replayed: readonly Replayed[],
): Promise<IntegrityProblem[]> {
  const problems: IntegrityProblem[] = [];
  for (const item of replayed.filter((entry) => entry.invalid)) {
    problems.push({
      reason: 'projection_mismatch',
      streamId: item.streamId,
      streamVersion: item.state?.version ?? 0,
      detail: `the stream's history breaks a rule of the ledger: ${item.invalid}`,
    });
  }
  const valid = replayed.filter((entry) => !entry.invalid && entry.state);
  const accounts = valid.filter((entry) => entry.ref.kind === 'account');
  if (accounts.length) {
    const rows = await db.query<{
      id: string;
      balance: string;
      frozen: boolean;
      version: number;
      held: string;
      hold_count: number;
      owed: string;
    }>(
      `SELECT a.id, a.balance_minor::text AS balance, a.frozen, a.version, a.hold_count,
              (SELECT coalesce(sum(h.remaining_minor), 0) FROM account_holds h
                WHERE h.account_id = a.id)::text AS held,
              (SELECT coalesce(sum((s.value->>'outstandingMinor')::bigint), 0)
                 FROM jsonb_array_elements(a.shortfalls) AS s(value))::text AS owed
         FROM accounts a WHERE a.id = ANY($1)`,
      [accounts.map((entry) => entry.ref.id)],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    for (const entry of accounts) {
      const state = entry.state as AggregateStates['account'];
      if (state.status !== 'open') continue;
      const row = byId.get(entry.ref.id);
      const says = row
        ? `balance ${row.balance}, ${row.frozen ? 'frozen' : 'not frozen'}, version ${row.version}, held ${row.held} in ${row.hold_count} holds, owed ${row.owed}`
        : 'nothing (no row)';
      let heldMinor = 0n;
      for (const hold of state.holds.values()) heldMinor += hold.remainingMinor;
      const is = `balance ${state.balanceMinor}, ${state.isFrozen ? 'frozen' : 'not frozen'}, version ${state.version}, held ${heldMinor} in ${state.holds.size} holds, owed ${outstandingOf(state)}`;
      if (says !== is)
        problems.push({
          reason: 'projection_mismatch',
          streamId: entry.streamId,
          streamVersion: state.version,
          detail: `the account projection says ${says}; its events add up to ${is}`,
        });
    }
  }
  const holds = valid.filter((entry) => entry.ref.kind === 'hold');
  if (holds.length) {
    const rows = await db.query<{
      id: string;
      captured: string;
      status: string;
      version: number;
    }>(
      `SELECT hold_id::text AS id, captured_minor::text AS captured, status, version FROM holds
        WHERE hold_id::text = ANY($1)`,
      [holds.map((entry) => entry.ref.id)],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, row]));
    for (const entry of holds) {
      const state = entry.state as AggregateStates['hold'];
      if (state.status === 'none') continue;
      const row = byId.get(entry.ref.id);
      const says = row
        ? `captured ${row.captured}, ${row.status}, version ${row.version}`
        : 'nothing (no row)';
      const is = `captured ${state.capturedMinor}, ${state.status}, version ${state.version}`;
      if (says !== is)
        problems.push({
          reason: 'projection_mismatch',
          streamId: entry.streamId,
          streamVersion: state.version,
          detail: `the hold projection says ${says}; its events add up to ${is}`,
        });
    }
  }
  // Dispute cases and approval requests: the whole state, evidence (names, texts, hashes) and the
  // held command included — deciders, their pages and the evidence package read the projection,
  // so every field of it must be what the events say.
  problems.push(
    ...(await wholeStateMismatches(valid, 'dispute', 'the dispute projection', async (ids) => {
      const rows = await db.query<DisputeRow>(
        `SELECT ${DISPUTE_COLUMNS} FROM disputes d WHERE d.dispute_id::text = ANY($1)`,
        [ids],
      );
      return new Map(rows.rows.map((row) => [row.dispute_id, disputeRowToState(row)]));
    })),
    ...(await wholeStateMismatches(valid, 'approval', 'the approval projection', async (ids) => {
      const rows = await db.query<ApprovalRow>(
        `SELECT ${APPROVAL_COLUMNS} FROM approval_requests a WHERE a.approval_id::text = ANY($1)`,
        [ids],
      );
      return new Map(rows.rows.map((row) => [row.approval_id, approvalRowToState(row)]));
    })),
  );
  return problems;
}

/** The aggregates of `kind` whose projected state differs, field by field, from their replay. */
async function wholeStateMismatches(
  entries: ReadonlyArray<{ ref: AggregateRef; streamId: string; state: unknown }>,
  kind: 'dispute' | 'approval',
  projection: string,
  load: (ids: string[]) => Promise<Map<string, object>>,
): Promise<IntegrityProblem[]> {
  const ofKind = entries.filter((entry) => entry.ref.kind === kind);
  if (ofKind.length === 0) return [];
  const byId = await load(ofKind.map((entry) => entry.ref.id));
  const problems: IntegrityProblem[] = [];
  for (const entry of ofKind) {
    const state = entry.state as { status: string; version: number };
    if (state.status === 'none') continue;
    const projected = byId.get(entry.ref.id);
    const differing = projected ? differingFields(projected, state) : ['the whole state (no row)'];
    if (differing.length > 0)
      problems.push({
        reason: 'projection_mismatch',
        streamId: entry.streamId,
        streamVersion: state.version,
        detail: `${projection} disagrees with its events on ${differing.join(', ')}`,
      });
  }
  return problems;
}

/** The fields on which two states of one aggregate differ, compared as canonical JSON. */
function differingFields(projected: object, replayed: object): string[] {
  // Keys sorted at every level: the projection's JSON columns come back in jsonb's own key order.
  const json = (value: unknown) =>
    JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (item && typeof item === 'object' && !Array.isArray(item))
        return Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        );
      return item;
    });
  const keys = new Set([...Object.keys(projected), ...Object.keys(replayed)]);
  return [...keys].filter(
    (key) =>
      json((projected as Record<string, unknown>)[key]) !==
      json((replayed as Record<string, unknown>)[key]),
  );
}
