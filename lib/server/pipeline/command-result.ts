// What a command returns, and its JSON form (stored with the idempotency key so that a retry
// returns exactly the first answer). Besides its events, an answer holds, for each kind of
// aggregate, the records of those the command touched (`accounts`, `holds`, `disputes`, …), each
// kind encoded by its own registration (RECORD_ANSWERS).

import { AGGREGATE_KINDS, type AggregateKind } from '../../ledger/aggregate';
import type { LedgerState } from '../../ledger/ledger-state';
import { RECORD_ANSWERS, type RecordsOf } from '../aggregates/stores';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store/types';

/** Every aggregate of each kind the command touched, after it, in the order the command names them. */
type TouchedRecords = { readonly [K in AggregateKind as `${K}s`]: readonly RecordsOf[K][] };

export type CommandResult = TouchedRecords & {
  /** The events the command recorded, in append order. */
  readonly events: readonly RecordedEvent[];
  /** True when this is a stored answer to an earlier request with the same idempotency key. */
  readonly replayed: boolean;
};

/** Where an answer keeps the records of one kind: `accounts`, `holds`, `disputes`. */
export function recordsKey<K extends AggregateKind>(kind: K): `${K}s` {
  return `${kind}s`;
}

interface EncodedEvent {
  globalPosition: string;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: EventMetadata;
  occurredAt: string;
  recordedAt: string;
  transactionId: string;
  prevHash: string;
  hash: string;
}

/** The stored answer: its events, and per kind its records (absent in answers stored before the kind existed). */
export type EncodedCommandResult = { events: EncodedEvent[] } & {
  [K in AggregateKind as `${K}s`]?: object[];
};

export function encodeCommandResult(result: Omit<CommandResult, 'replayed'>): EncodedCommandResult {
  const encoded: EncodedCommandResult = {
    events: result.events.map((event) => ({
      ...event,
      globalPosition: event.globalPosition.toString(),
      transactionId: event.transactionId.toString(),
      occurredAt: event.occurredAt.toISOString(),
      recordedAt: event.recordedAt.toISOString(),
    })),
  };
  for (const kind of AGGREGATE_KINDS) encodeKind(kind, result, encoded);
  return encoded;
}

function encodeKind<K extends AggregateKind>(
  kind: K,
  result: Omit<CommandResult, 'replayed'>,
  into: EncodedCommandResult,
): void {
  const records = result[recordsKey(kind)] as unknown as readonly RecordsOf[K][];
  (into as Record<string, unknown>)[recordsKey(kind)] = records.map((record) =>
    RECORD_ANSWERS[kind].encode(record),
  );
}

export function decodeCommandResult(
  encoded: EncodedCommandResult,
): Omit<CommandResult, 'replayed'> {
  const records = Object.fromEntries(
    AGGREGATE_KINDS.map((kind) => [
      recordsKey(kind),
      (((encoded as Record<string, unknown>)[recordsKey(kind)] as unknown[] | undefined) ?? []).map(
        (stored) => RECORD_ANSWERS[kind].decode(stored),
      ),
    ]),
  ) as unknown as TouchedRecords;
  return {
    ...records,
    events: encoded.events.map((event) => ({
      ...event,
      globalPosition: BigInt(event.globalPosition),
      transactionId: BigInt(event.transactionId),
      occurredAt: new Date(event.occurredAt),
      recordedAt: new Date(event.recordedAt),
    })),
  };
}

/** The records of the aggregates a command names, as `after` has them at instant `at`. */
export function touchedRecords(
  refs: ReadonlyArray<{ kind: AggregateKind; id: string }>,
  after: LedgerState,
  context: { updatedAt: Date; at: Date },
): TouchedRecords {
  return Object.fromEntries(
    AGGREGATE_KINDS.map((kind) => [
      recordsKey(kind),
      refs
        .filter((ref) => ref.kind === kind)
        .map((ref) => RECORD_ANSWERS[kind].of(after, ref.id, context)),
    ]),
  ) as unknown as TouchedRecords;
}
