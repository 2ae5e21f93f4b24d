// Signed account statements: an account's events over a period with the balance after each, the
// opening and closing balances, and for every line its inclusion proof in a signed checkpoint.
// The encoding is specified in docs/formats/evidence-v1.md; this module holds its types and the
// arithmetic every statement must satisfy (pure, no I/O).

import { balanceDelta, decodeLedgerEvent } from '../ledger/events';
import type { SignedCheckpoint } from './checkpoint';

export const STATEMENT_FORMAT = 'chronicle.statement.v1';
export const PROOF_FORMAT = 'chronicle.proof.v1';

/** An event with every input of its hash, and what the database assigned it. */
export interface EvidenceEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  /** RFC 3339 UTC with six fractional digits. */
  readonly occurredAt: string;
  readonly prevHash: string;
  readonly hash: string;
  readonly globalPosition: string;
  /** RFC 3339 UTC with six fractional digits. */
  readonly recordedAt: string;
}

/** Where an event sits in a checkpoint's tree, and the path from it to the tree head. */
export interface InclusionProof {
  readonly checkpoint: number;
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Lowercase hex, nearest sibling first. */
  readonly path: readonly string[];
}

export interface StatementLine {
  readonly event: EvidenceEvent;
  /** What the event did to the posted balance, in minor units (signed decimal digits). */
  readonly amountDeltaMinor: string;
  readonly balanceAfterMinor: string;
  /** Null while the event is newer than the last checkpoint ("not yet sealed"). */
  readonly proof: InclusionProof | null;
}

export interface PublicKeyJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
}

export interface StatementBody {
  readonly format: typeof STATEMENT_FORMAT;
  readonly account: {
    readonly id: string;
    readonly ownerId: string;
    readonly currency: string;
    /** Decimal places of the currency: balances are in minor units. */
    readonly currencyExponent: number;
  };
  /** The period: events that took effect after `from` and at or before `to` (occurred-at axis). */
  readonly from: string;
  readonly to: string;
  /**
   * The statement as Chronicle would have signed it then: only what had been recorded by this
   * instant. Null: as recorded when generated. (Lines are in recording order; a backdated
   * correction is a line of the period in which it was recorded, with its effectiveAt in data.)
   */
  readonly knownAt?: string | null;
  readonly openingBalanceMinor: string;
  readonly closingBalanceMinor: string;
  readonly totals: { readonly creditsMinor: string; readonly debitsMinor: string };
  /**
   * The period by effective time, as known at knownAt (or when generated). The lines are the
   * stream in recording order, so a backdated correction sits in the period it was recorded in;
   * here it counts at its effectiveAt instead: the balances at `from` and at `to` as they are now
   * known, and the corrections recorded after `to` that took effect at or before it. Absent from
   * statements made before corrections existed.
   */
  readonly effective?: EffectiveBalances;
  /**
   * The account's last event at or before `from`, whose balance is the opening balance and whose
   * hash the first line chains to; null when the account was opened after `from`.
   */
  readonly anchor: StatementLine | null;
  readonly lines: readonly StatementLine[];
  /** Every checkpoint a proof in this statement refers to, in number order. */
  readonly checkpoints: readonly SignedCheckpoint[];
  readonly generatedAt: string;
  readonly keyId: string;
  /** For convenience only: a verifier should be given the key from elsewhere. */
  readonly publicKey: PublicKeyJwk;
}

export interface EffectiveBalances {
  /** The balance at `from` by effective time: the opening balance plus every correction recorded
   * later (in the lines or after them) that took effect at or before `from`. */
  readonly openingBalanceMinor: string;
  /** The balance at `to` by effective time: the closing balance plus the later corrections. */
  readonly closingBalanceMinor: string;
  /** Corrections recorded after `to` (by knownAt) that took effect at or before it, in stream
   * order, each with its inclusion proof. */
  readonly laterCorrections: readonly StatementLine[];
}

export interface SignedStatement {
  readonly statement: StatementBody;
  /** Ed25519 over the UTF-8 canonical JSON of `statement`, base64. */
  readonly signature: string;
}

export interface ProofDocument {
  readonly format: typeof PROOF_FORMAT;
  readonly event: EvidenceEvent;
  readonly status: 'sealed' | 'not_yet_sealed';
  readonly proof: InclusionProof | null;
  readonly checkpoint: SignedCheckpoint | null;
  readonly publicKey: PublicKeyJwk;
}

/** What an event did to its account's posted balance, as the ledger defines it. */
function balanceEffect(event: EvidenceEvent): bigint {
  return balanceDelta(decodeLedgerEvent(event));
}

/** Every way a statement's arithmetic or chain fails; empty when it holds. */
export function checkStatementArithmetic(body: StatementBody): string[] {
  const problems: string[] = [];
  let balance = body.anchor ? BigInt(body.anchor.balanceAfterMinor) : 0n;
  if (BigInt(body.openingBalanceMinor) !== balance)
    problems.push(`the opening balance ${body.openingBalanceMinor} is not the anchor's ${balance}`);
  let previous = body.anchor?.event ?? null;
  let credits = 0n;
  let debits = 0n;
  for (const line of body.lines) {
    const { event } = line;
    const effect = balanceEffect(event);
    if (BigInt(line.amountDeltaMinor) !== effect)
      problems.push(
        `${event.eventId}: the line says ${line.amountDeltaMinor}, a ${event.type} of this data moves ${effect}`,
      );
    balance += effect;
    if (effect > 0n) credits += effect;
    else debits -= effect;
    if (BigInt(line.balanceAfterMinor) !== balance)
      problems.push(
        `${event.eventId}: the balance after is ${line.balanceAfterMinor}, the lines add up to ${balance}`,
      );
    const expectedVersion = (previous?.streamVersion ?? 0) + 1;
    if (event.streamVersion !== expectedVersion)
      problems.push(
        `${event.eventId}: version ${event.streamVersion} follows ${expectedVersion - 1}`,
      );
    const expectedPrev = previous?.hash ?? '0'.repeat(64);
    if (event.prevHash !== expectedPrev)
      problems.push(`${event.eventId}: it does not chain onto the line before it`);
    previous = event;
  }
  if (BigInt(body.closingBalanceMinor) !== balance)
    problems.push(`the closing balance ${body.closingBalanceMinor} is not the lines' ${balance}`);
  if (BigInt(body.totals.creditsMinor) !== credits || BigInt(body.totals.debitsMinor) !== debits)
    problems.push(`the totals are not the sums of the lines' credits and debits`);
  return [...problems, ...checkEffectiveBalances(body)];
}

/** An ISO 8601 UTC instant with up to six fractional digits, in microseconds since 1970. */
function instantMicros(text: string): bigint {
  const match = /^(.*?)(?:\.(\d{1,6}))?Z$/.exec(text);
  const seconds = match ? Date.parse(`${match[1]}Z`) : Number.NaN;
  if (!match || Number.isNaN(seconds)) throw new Error(`${text} is not an instant`);
  return BigInt(seconds) * 1000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** A correction's effective instant; null for any other event. */
function effectiveMicrosOf(event: EvidenceEvent): bigint | null {
  const effectiveAt = event.type === 'balance_corrected' ? event.data.effectiveAt : undefined;
  return typeof effectiveAt === 'string' ? instantMicros(effectiveAt) : null;
}

/**
 * The balances at `from` and `to` by effective time, from the recorded ones: every correction
 * recorded after `from` that took effect at or before it moves the opening balance; every one
 * recorded after `to` (all of which took effect at or before it) moves the closing balance.
 */
export function effectiveBalances(statement: {
  from: string;
  opening: string;
  closing: string;
  lines: readonly StatementLine[];
  laterCorrections: readonly StatementLine[];
}): EffectiveBalances {
  const from = instantMicros(statement.from);
  let opening = BigInt(statement.opening);
  let closing = BigInt(statement.closing);
  for (const line of statement.lines) {
    const effective = effectiveMicrosOf(line.event);
    if (effective !== null && effective <= from) opening += BigInt(line.amountDeltaMinor);
  }
  for (const line of statement.laterCorrections) {
    const effective = effectiveMicrosOf(line.event);
    closing += BigInt(line.amountDeltaMinor);
    if (effective !== null && effective <= from) opening += BigInt(line.amountDeltaMinor);
  }
  return {
    openingBalanceMinor: opening.toString(),
    closingBalanceMinor: closing.toString(),
    laterCorrections: statement.laterCorrections,
  };
}

/** Every way the effective-time part of a statement fails; empty when it holds or is absent. */
function checkEffectiveBalances(body: StatementBody): string[] {
  const effective = body.effective;
  if (!effective) return [];
  const problems: string[] = [];
  const to = instantMicros(body.to);
  const knownAt = body.knownAt ? instantMicros(body.knownAt) : null;
  const streamId = body.lines[0]?.event.streamId ?? body.anchor?.event.streamId;
  let version = (body.lines[body.lines.length - 1] ?? body.anchor)?.event.streamVersion ?? 0;
  for (const { event, amountDeltaMinor } of effective.laterCorrections) {
    const effectiveAt = effectiveMicrosOf(event);
    const recorded = instantMicros(event.occurredAt);
    if (effectiveAt === null) problems.push(`${event.eventId}: a later line is not a correction`);
    else if (effectiveAt > to)
      problems.push(`${event.eventId}: the correction took effect after the period`);
    if (recorded <= to)
      problems.push(`${event.eventId}: the correction was recorded in the period`);
    if (knownAt !== null && recorded > knownAt)
      problems.push(`${event.eventId}: the correction was recorded after knownAt`);
    if (streamId !== undefined && event.streamId !== streamId)
      problems.push(`${event.eventId}: the correction is another stream's`);
    if (event.streamVersion <= version)
      problems.push(`${event.eventId}: the later corrections are not in stream order`);
    version = event.streamVersion;
    if (BigInt(amountDeltaMinor) !== balanceEffect(event))
      problems.push(`${event.eventId}: the correction's amount is not what its data moves`);
  }
  const expected = effectiveBalances({
    from: body.from,
    opening: body.openingBalanceMinor,
    closing: body.closingBalanceMinor,
    lines: body.lines,
    laterCorrections: effective.laterCorrections,
  });
  if (expected.openingBalanceMinor !== effective.openingBalanceMinor)
    problems.push(
      `the opening balance by effective time ${effective.openingBalanceMinor} is not ${expected.openingBalanceMinor}`,
    );
  if (expected.closingBalanceMinor !== effective.closingBalanceMinor)
    problems.push(
      `the closing balance by effective time ${effective.closingBalanceMinor} is not ${expected.closingBalanceMinor}`,
    );
  return problems;
}
