// The one implementation of the write path. A batch of commands (one, or the many that arrived
// together) runs in the caller's transaction:
//
//   lock and load every aggregate the batch needs (kind by kind, ids in order: no deadlocks)
//   → read the clock and what earlier requests stored under the batch's idempotency keys
//   → for each command, in arrival order, against the state its predecessors left:
//       a stored answer, or check If-Match, decide (or refuse it alone), sequence, fold
//   → append every event (each chained to its stream's previous one)
//   → bring each aggregate's projections up to date
//   → store the idempotency keys with their answers.
//
// Nothing here knows a table or a command: aggregates bring their stores (AGGREGATE_STORES) and
// commands their rules (lib/ledger/commands.ts). Retries and group commit are the callers' job
// (run-commands.ts, command-batcher.ts); imported history takes the same path.

import { AppError } from '../../errors';
import {
  AGGREGATE_KINDS,
  inLockOrder,
  refKey,
  streamIdOf,
  type AggregateKind,
  type AggregateRef,
  type DecidedEvent,
  type SequencedEvent,
} from '../../ledger/aggregate';
import {
  decide,
  expectedVersionTargetOf,
  requirementsOf,
  type LedgerCommand,
} from '../../ledger/commands';
import type { Requirements } from '../../ledger/command-handler';
import { encodeEventData } from '../../ledger/events';
import { lowestBalanceKey, type LedgerState } from '../../ledger/ledger-state';
import { UUID_PATTERN } from '../../ledger/limits';
import { applyEvents, sequenceDecidedEvents } from '../../ledger/replay';
import type { ChargeState } from '../../ledger/account/charge';
import {
  CHARGE_COLUMNS,
  chargeRowToState,
  type ChargeRow,
} from '../aggregates/account/charge-record';
import { lowestBalanceSince } from '../aggregates/account/lowest-balance';
import { AGGREGATE_STORES } from '../aggregates/stores';
import { namedStatement, type PoolClient } from '../db/pool';
import { appendToStreams } from '../event-store/append-to-streams';
import { ConcurrencyError } from '../event-store/event-store-errors';
import type { EventMetadata, NewEvent, RecordedEvent, StreamHead } from '../event-store/types';
import { uuidv7 } from '../ids';
import type { ProjectedEvent } from './aggregate-store';
import type { CommandJob } from './command-job';
import {
  encodeCommandResult,
  touchedRecords,
  type CommandResult,
  type EncodedCommandResult,
} from './command-result';
import { claimId, storeRequests, type IdempotencyClaim, type StoredRequest } from './idempotency';

export type JobOutcome =
  | { readonly kind: 'executed'; readonly result: CommandResult }
  | { readonly kind: 'stored'; readonly stored: StoredRequest }
  | { readonly kind: 'refused'; readonly error: AppError };

/** Raised when another transaction committed one of the batch's idempotency keys first. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('an idempotency key of this batch was committed by another transaction meanwhile');
    this.name = 'IdempotencyKeyTaken';
  }
}

interface ExecutedPlan {
  readonly kind: 'executed';
  readonly from: number;
  readonly to: number;
  readonly requirements: Requirements;
  /** The ledger right after this command (what its answer shows). */
  readonly after: LedgerState;
  readonly at: Date;
}

type Plan =
  | ExecutedPlan
  | { readonly kind: 'stored'; readonly stored: StoredRequest }
  | { readonly kind: 'refused'; readonly error: AppError };

export async function runBatch(tx: PoolClient, jobs: readonly CommandJob[]): Promise<JobOutcome[]> {
  const requirements = jobs.map((job) => requirementsOf(job.command));
  // The lowest balance a command reads is loaded before the batch is decided: another command of
  // the batch could change it. Such a command runs alone (the batcher then runs each job alone).
  if (jobs.length > 1 && requirements.some((needs) => (needs.lowestBalances ?? []).length > 0))
    throw new Error('a command that reads an account history must run in a batch of its own');
  const { before, heads } = await lockAndLoad(tx, requirements);
  // Read after the locks: the keys' snapshot then includes every request that committed while
  // this batch waited for them, so a retry whose first attempt won gets that attempt's answer.
  const { now: clock, stored } = await readClockAndStoredKeys(
    tx,
    jobs.flatMap((job) => (job.claim ? [job.claim] : [])),
  );
  // Time never runs backwards inside a stream, even if the database clock is stepped back.
  let now = clock;
  for (const head of heads.values())
    if (head.occurredAt && head.occurredAt.getTime() > now.getTime()) now = head.occurredAt;

  let state = before;
  const lastOccurredAt = new Map([...heads].map(([key, head]) => [key, head.occurredAt] as const));
  const sequenced: Array<SequencedEvent & { stateAfter: unknown }> = [];
  const metadata: EventMetadata[] = [];
  const plans: Plan[] = [];
  for (const [index, job] of jobs.entries()) {
    const earlier = job.claim ? stored.get(claimId(job.claim)) : undefined;
    if (earlier) {
      plans.push({ kind: 'stored', stored: earlier });
      continue;
    }
    try {
      checkExpectedVersion(job, state);
      const at = job.occurredAt ?? now;
      const needs = requirements[index] as Requirements;
      if (job.occurredAt) requireTimeOrder(job.occurredAt, needs.aggregates, lastOccurredAt);
      const decided = decide(job.command, state, at);
      const events = sequenceDecidedEvents(
        state,
        decided,
        decided.map((_, position) => job.eventIds?.[position] ?? uuidv7(at.getTime())),
      );
      const from = sequenced.length;
      for (const [position, event] of events.entries()) {
        state = applyEvents(state, [event]);
        sequenced.push({ ...event, stateAfter: state[event.target.kind].get(event.target.id) });
        lastOccurredAt.set(refKey(event.target), event.occurredAt);
        metadata.push(eventMetadata(job, decided[position]));
      }
      plans.push({
        kind: 'executed',
        from,
        to: sequenced.length,
        requirements: needs,
        after: state,
        at,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      plans.push({ kind: 'refused', error });
    }
  }

  const recorded = await appendEvents(tx, { before, heads, sequenced, metadata });
  const projected = sequenced.map((event, position): ProjectedEvent => ({
    ...event,
    stateAfter: event.stateAfter as ProjectedEvent['stateAfter'],
    globalPosition: (recorded[position] as RecordedEvent).globalPosition,
    hash: (recorded[position] as RecordedEvent).hash,
  }));
  for (const kind of AGGREGATE_KINDS) {
    const events = projected.filter((event) => event.target.kind === kind);
    if (events.length > 0) await project(kind, tx, { before, after: state, events });
  }

  const updatedAt = recorded[0]?.recordedAt ?? now;
  const outcomes: JobOutcome[] = [];
  const toStore: Array<{ claim: IdempotencyClaim; result: EncodedCommandResult }> = [];
  for (const [index, plan] of plans.entries()) {
    if (plan.kind !== 'executed') {
      outcomes.push(plan);
      continue;
    }
    const result = resultOf(plan, recorded.slice(plan.from, plan.to), updatedAt);
    outcomes.push({ kind: 'executed', result });
    const claim = (jobs[index] as CommandJob).claim;
    if (claim) toStore.push({ claim, result: encodeCommandResult(result) });
  }
  if (!(await storeRequests(tx, toStore))) throw new IdempotencyKeyTaken();
  return outcomes;
}

/** Locks and loads every aggregate the batch names, kind by kind, and the charges it reads. */
async function lockAndLoad(
  tx: PoolClient,
  requirements: readonly Requirements[],
): Promise<{ before: LedgerState; heads: Map<string, StreamHead> }> {
  const refs = inLockOrder(requirements.flatMap((needs) => needs.aggregates));
  const heads = new Map<string, StreamHead>();
  const states: Record<string, Map<string, unknown>> = {};
  // One kind after the other, in the one global order (inLockOrder), each in id order.
  for (const kind of AGGREGATE_KINDS) {
    const ids = refs.filter((ref) => ref.kind === kind).map((ref) => ref.id);
    const loaded = ids.length > 0 ? await AGGREGATE_STORES[kind].lockAndLoad(tx, ids) : new Map();
    states[kind] = new Map([...loaded].map(([id, { state }]) => [id, state]));
    for (const [id, { head }] of loaded) heads.set(refKey({ kind, id }), head);
  }
  const charges = await loadCharges(
    tx,
    requirements.flatMap((needs) => needs.charges ?? []),
  );
  const lowestBalances = new Map<string, bigint>();
  for (const { accountId, since } of requirements.flatMap((needs) => needs.lowestBalances ?? [])) {
    const key = lowestBalanceKey(accountId, since);
    if (!lowestBalances.has(key))
      lowestBalances.set(key, await lowestBalanceSince(tx, accountId, since));
  }
  return {
    before: {
      ...(states as unknown as Omit<LedgerState, 'charges' | 'lowestBalances'>),
      charges,
      lowestBalances,
    },
    heads,
  };
}

/** Hands a kind's events to its store. */
function project<K extends AggregateKind>(
  kind: K,
  tx: PoolClient,
  change: { before: LedgerState; after: LedgerState; events: ProjectedEvent[] },
): Promise<void> {
  return AGGREGATE_STORES[kind].project(tx, {
    ...change,
    events: change.events as ProjectedEvent<K>[],
  });
}

const selectClockAndKeys = namedStatement<{
  now: Date;
  stored: Array<{ scope: string; key: string; request_hash: string; result: unknown }> | null;
}>(
  'select_clock_and_stored_keys',
  `SELECT date_trunc('milliseconds', clock_timestamp()) AS now,
          (SELECT json_agg(json_build_object('scope', k.scope, 'key', k.key, 'request_hash', k.request_hash,
                                             'result', k.result))
             FROM unnest($1::text[], $2::text[]) AS wanted(scope, key)
             JOIN idempotency_keys k ON k.scope = wanted.scope AND k.key = wanted.key) AS stored`,
);

async function readClockAndStoredKeys(
  tx: PoolClient,
  claims: readonly IdempotencyClaim[],
): Promise<{ now: Date; stored: Map<string, StoredRequest> }> {
  const row = (
    await selectClockAndKeys(tx, [
      claims.map((claim) => claim.scope),
      claims.map((claim) => claim.key),
    ])
  ).rows[0];
  const stored = new Map<string, StoredRequest>(
    (row?.stored ?? []).map((found) => [
      claimId(found),
      { requestHash: found.request_hash, result: found.result },
    ]),
  );
  return { now: row?.now as Date, stored };
}

const selectCharges = namedStatement<ChargeRow>(
  'select_charges',
  `SELECT ${CHARGE_COLUMNS} FROM charges WHERE charges.event_id = ANY($1::uuid[])`,
);

/** The charges with these event ids; their accounts' locks, already held, protect them. */
async function loadCharges(tx: PoolClient, eventIds: string[]): Promise<Map<string, ChargeState>> {
  const ids = eventIds.filter((id) => UUID_PATTERN.test(id));
  if (ids.length === 0) return new Map();
  const rows = (await selectCharges(tx, [ids])).rows;
  return new Map(rows.map((row) => [row.event_id, chargeRowToState(row)]));
}

/** Refuses a command whose If-Match version is not its aggregate's current one. */
function checkExpectedVersion(job: CommandJob, state: LedgerState): void {
  const expected = job.context.expectedVersion;
  const target = expectedVersionTargetOf(job.command);
  if (expected === undefined || !target) return;
  const current = state[target.kind].get(target.id)?.version ?? 0;
  if (current !== expected) throw new ConcurrencyError(streamIdOf(target), expected, current);
}

/** Imported history must arrive in time order for every stream it touches. */
function requireTimeOrder(
  occurredAt: Date,
  aggregates: readonly AggregateRef[],
  lastOccurredAt: ReadonlyMap<string, Date | null>,
): void {
  for (const ref of aggregates) {
    const last = lastOccurredAt.get(refKey(ref));
    if (last && last.getTime() > occurredAt.getTime())
      throw new AppError(
        'validation_error',
        `It happens at ${occurredAt.toISOString()}, before ${ref.kind} ${ref.id}'s previous event at ${last.toISOString()}. Import history in time order.`,
      );
  }
}

function eventMetadata(job: CommandJob, decided: DecidedEvent | undefined): EventMetadata {
  const causationId = decided?.causationId;
  const onBehalfOf = decided?.onBehalfOf;
  return {
    actor: onBehalfOf?.initiatedBy ?? job.context.actor,
    correlationId: job.correlationId,
    ...(causationId ? { causationId } : {}),
    ...(onBehalfOf ? { approvedBy: onBehalfOf.approvedBy, approvalId: onBehalfOf.approvalId } : {}),
    ...(job.claim ? { idempotencyKey: job.context.idempotencyKey } : {}),
    ...(job.context.requestId ? { requestId: job.context.requestId } : {}),
  };
}

/** Appends the batch's events, stream by stream, chained onto the heads read under lock. */
async function appendEvents(
  tx: PoolClient,
  batch: {
    before: LedgerState;
    heads: ReadonlyMap<string, StreamHead>;
    sequenced: readonly SequencedEvent[];
    metadata: readonly EventMetadata[];
  },
): Promise<RecordedEvent[]> {
  if (batch.sequenced.length === 0) return [];
  const byStream = new Map<string, { ref: AggregateRef; events: NewEvent[] }>();
  for (const [index, item] of batch.sequenced.entries()) {
    const key = refKey(item.target);
    const entry = byStream.get(key) ?? { ref: item.target, events: [] };
    entry.events.push({
      eventId: item.eventId,
      type: item.event.type,
      schemaVersion: item.event.schemaVersion,
      data: encodeEventData(item.event),
      metadata: batch.metadata[index] as EventMetadata,
      occurredAt: item.occurredAt,
    });
    byStream.set(key, entry);
  }
  const appended = await appendToStreams(
    tx,
    [...byStream].map(([key, { ref, events }]) => {
      const head = batch.heads.get(key);
      return {
        streamId: streamIdOf(ref),
        expectedVersion: batch.before[ref.kind].get(ref.id)?.version ?? 0,
        events,
        ...(head ? { knownHead: head } : {}),
      };
    }),
  );
  const byId = new Map(appended.map((event) => [event.eventId, event]));
  return batch.sequenced.map((item) => {
    const event = byId.get(item.eventId);
    if (!event) throw new Error(`event ${item.eventId} was not recorded`);
    return event;
  });
}

/** A command's answer: its events, and the aggregates it names as they stood right after it. */
function resultOf(plan: ExecutedPlan, events: RecordedEvent[], updatedAt: Date): CommandResult {
  return {
    events,
    ...touchedRecords(plan.requirements.aggregates, plan.after, { updatedAt, at: plan.at }),
    replayed: false,
  };
}

/** What a command would do now: the ledger before and after it, and the events it would record. */
export interface CommandPreview {
  readonly requirements: Requirements;
  readonly before: LedgerState;
  readonly after: LedgerState;
  readonly decided: readonly DecidedEvent[];
  readonly now: Date;
}

/**
 * Decides `command` against the current state without recording anything: the caller's
 * transaction holds the locks for the moment it takes and is rolled back by the caller. Throws the
 * rule's AppError when the command would be refused now.
 */
export async function previewCommand(
  tx: PoolClient,
  command: LedgerCommand,
): Promise<CommandPreview> {
  const requirements = requirementsOf(command);
  const { before } = await lockAndLoad(tx, [requirements]);
  const { now } = await readClockAndStoredKeys(tx, []);
  const decided = decide(command, before, now);
  const events = sequenceDecidedEvents(
    before,
    decided,
    decided.map(() => uuidv7(now.getTime())),
  );
  return { requirements, before, after: applyEvents(before, events), decided, now };
}
