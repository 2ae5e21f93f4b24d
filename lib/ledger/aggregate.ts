// What every aggregate shares: how it is named and addressed, and the shape of the events decided
// for it. An aggregate is a consistency boundary with a stream of its own (`<kind>-<id>`): an
// account, a hold. Commands name the aggregates they touch; the pipeline locks and loads exactly
// those, in one global order, and appends each decided event to its aggregate's stream.

import type { LedgerEvent } from './events';

/** Every kind of aggregate, in the order their rows are locked (so that no two commands deadlock). */
export const AGGREGATE_KINDS = ['account', 'hold', 'dispute', 'approval'] as const;
export type AggregateKind = (typeof AGGREGATE_KINDS)[number];

export interface AggregateRef {
  readonly kind: AggregateKind;
  readonly id: string;
}

export function refOf(kind: AggregateKind, id: string): AggregateRef {
  return { kind, id };
}

/** One string per aggregate, for maps and sets. */
export function refKey(ref: AggregateRef): string {
  return `${ref.kind}\u0000${ref.id}`;
}

/** The stream an aggregate's events live in. */
export function streamIdOf(ref: AggregateRef): string {
  return `${ref.kind}-${ref.id}`;
}

/** The aggregate a stream belongs to; null for streams that are not an aggregate's. */
export function refOfStream(streamId: string): AggregateRef | null {
  for (const kind of AGGREGATE_KINDS) {
    if (streamId.startsWith(`${kind}-`)) return { kind, id: streamId.slice(kind.length + 1) };
  }
  return null;
}

/** Aggregates in the one order every command locks them: by kind, then by id (bytewise). */
export function inLockOrder(refs: Iterable<AggregateRef>): AggregateRef[] {
  const unique = new Map<string, AggregateRef>();
  for (const ref of refs) unique.set(refKey(ref), ref);
  return [...unique.values()].sort((a, b) => {
    const byKind = AGGREGATE_KINDS.indexOf(a.kind) - AGGREGATE_KINDS.indexOf(b.kind);
    if (byKind !== 0) return byKind;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** An event the decider wants recorded on an aggregate's stream. */
export interface DecidedEvent {
  readonly target: AggregateRef;
  readonly event: LedgerEvent;
  /** When it takes effect: the `now` the decider was given. */
  readonly occurredAt: Date;
  /** The event that caused this one, when there is one (the charge a reversal reverses). */
  readonly causationId?: string;
  /**
   * Set on the events of a command run on approval: the maker who asked for it and the checker
   * who approved it (the event's actor is then the maker).
   */
  readonly onBehalfOf?: { initiatedBy: string; approvedBy: string; approvalId: string };
}

/** A decided event given its place: its id and its version in its aggregate's stream. */
export interface SequencedEvent {
  readonly eventId: string;
  readonly target: AggregateRef;
  readonly version: number;
  readonly occurredAt: Date;
  readonly event: LedgerEvent;
}

/**
 * Thrown when stored history breaks a rule the decider never lets through (a version gap, a
 * negative balance). It means the log or a projection is corrupt, not that a user erred.
 */
export class LedgerInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInvariantError';
  }
}
