// Test support for the verifier's tests (no test of its own): the RFC 8032 TEST 1 key, and a
// small ledger built with the reference encoder (lib/evidence, lib/ledger) — events of any stream,
// sealed into signed checkpoints, from which proof documents and signed statements are made. The
// verifier itself never imports any of this: it must stay one file that shares no code with the
// app.

import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import {
  checkpointBytes,
  checkpointHash,
  keyIdOf,
  leafHashOf,
  merkleRootOf,
  NO_PREVIOUS_CHECKPOINT,
  type CheckpointBody,
  type SealedLeaf,
  type SignedCheckpoint,
} from '../lib/evidence/checkpoint';
import { inclusionPath as referenceInclusionPath } from '../lib/evidence/merkle';
import type {
  EvidenceEvent,
  InclusionProof,
  ProofDocument,
  SignedStatement,
  StatementBody,
  StatementLine,
} from '../lib/evidence/statement';
import { balanceDelta, decodeLedgerEvent } from '../lib/ledger/events';
import {
  canonicalInstant,
  canonicalJson as referenceCanonicalJson,
  eventHash as referenceEventHash,
  GENESIS_HASH,
} from '../lib/ledger/hash-chain';

// ---------------------------------------------------------------------------------------------
// Keys: RFC 8032 §7.1 TEST 1 (docs/formats/evidence-v1.md §8).

export const SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const privateKey = createPrivateKey({
  key: Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(SECRET, 'hex'),
  ]),
  format: 'der',
  type: 'pkcs8',
});
export const publicKey = createPublicKey(privateKey);
export const JWK = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  kid: '21fe31dfa154a261',
} as const;
export const KEY_ID = JWK.kid;

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
export const signBase64 = (bytes: Uint8Array, key: KeyObject = privateKey) =>
  sign(null, bytes, key).toString('base64');

export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

const START = Date.UTC(2026, 2, 1, 9, 0, 0);
/** The instant `minutes` after 2026-03-01T09:00Z, plus `ms`. */
export const at = (minutes: number, ms = 0) =>
  canonicalInstant(new Date(START + minutes * 60_000 + ms));

/** What an event did to its account's balance, as the ledger itself defines it (balanceDelta). */
export function effectOf(event: EvidenceEvent): bigint {
  return balanceDelta(decodeLedgerEvent(event));
}

export interface Append {
  /** The account whose stream (`account-<id>`) the event joins, unless `streamId` is given. */
  accountId?: string;
  streamId?: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

export class Ledger {
  readonly events: EvidenceEvent[] = [];
  readonly checkpoints: SignedCheckpoint[] = [];
  private readonly proofs = new Map<string, InclusionProof>();
  private pending: { event: EvidenceEvent; transactionId: string }[] = [];
  private readonly heads = new Map<string, EvidenceEvent>();
  private position = 0;
  private transaction = 750;

  /** @param idPrefix distinguishes the event ids of two ledgers */
  constructor(private readonly idPrefix = '0195a1b2-0000-7000-8000-') {}

  /** Appends events in one transaction. */
  commit(...appends: Append[]): EvidenceEvent[] {
    this.transaction += 1;
    return appends.map((append) => {
      const streamId = append.streamId ?? `account-${append.accountId}`;
      const head = this.heads.get(streamId);
      this.position += 1;
      // A rolled-back transaction leaves a gap in the global positions.
      if (this.position === 5) this.position += 1;
      const fields = {
        eventId: `${this.idPrefix}${(this.events.length + 1).toString(16).padStart(12, '0')}`,
        streamId,
        streamVersion: (head?.streamVersion ?? 0) + 1,
        type: append.type,
        schemaVersion: 1,
        data: append.data,
        metadata: { actor: 'user:teller_7', correlationId: `corr-${this.transaction}` },
        occurredAt: append.occurredAt,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const event: EvidenceEvent = {
        ...fields,
        hash: referenceEventHash(fields),
        globalPosition: String(this.position),
        recordedAt: canonicalInstant(new Date(Date.parse(append.occurredAt) + 150)),
      };
      this.heads.set(streamId, event);
      this.events.push(event);
      this.pending.push({ event, transactionId: String(this.transaction) });
      return event;
    });
  }

  /** Seals every pending event into the next checkpoint. */
  seal(sealedAt: string): SignedCheckpoint {
    const number = this.checkpoints.length + 1;
    const leaves: SealedLeaf[] = this.pending.map(({ event }) => ({
      eventHash: event.hash,
      globalPosition: event.globalPosition,
      recordedAt: event.recordedAt,
    }));
    const leafHashes = leaves.map(leafHashOf);
    this.pending.forEach(({ event }, leafIndex) =>
      this.proofs.set(event.eventId, {
        checkpoint: number,
        leafIndex,
        treeSize: leaves.length,
        path: referenceInclusionPath(leafHashes, leafIndex).map(hex),
      }),
    );
    const heads = new Map<string, EvidenceEvent>();
    for (const { event } of this.pending) heads.set(event.streamId, event);
    const last = this.pending[this.pending.length - 1];
    if (!last) throw new Error('nothing to seal');
    const body: CheckpointBody = {
      format: 'chronicle.checkpoint.v1',
      number,
      previousHash: this.checkpoints[number - 2]?.hash ?? NO_PREVIOUS_CHECKPOINT,
      through: { transactionId: last.transactionId, globalPosition: last.event.globalPosition },
      eventCount: leaves.length,
      merkleRoot: merkleRootOf(leaves),
      streamHeads: [...heads.values()]
        .map((event) => ({
          streamId: event.streamId,
          version: event.streamVersion,
          hash: event.hash,
        }))
        .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0)),
      sealedAt,
      keyId: keyIdOf(publicKey),
    };
    const signed: SignedCheckpoint = {
      checkpoint: body,
      hash: checkpointHash(body),
      signature: signBase64(checkpointBytes(body)),
    };
    this.checkpoints.push(signed);
    this.pending = [];
    return signed;
  }

  proofOf(eventId: string): InclusionProof | null {
    return this.proofs.get(eventId) ?? null;
  }

  proofDocument(event: EvidenceEvent): ProofDocument {
    const proof = this.proofOf(event.eventId);
    return {
      format: 'chronicle.proof.v1',
      event,
      status: proof ? 'sealed' : 'not_yet_sealed',
      proof,
      checkpoint: proof ? (this.checkpoints[proof.checkpoint - 1] ?? null) : null,
      publicKey: JWK,
    };
  }

  statement(accountId: string, from: string, to: string): SignedStatement {
    const stream = this.events.filter((event) => event.streamId === `account-${accountId}`);
    const opened = stream[0];
    if (opened?.type !== 'account_opened') throw new Error(`no account ${accountId}`);
    let balance = 0n;
    let anchor: StatementLine | null = null;
    const lines: StatementLine[] = [];
    let credits = 0n;
    let debits = 0n;
    for (const event of stream) {
      if (event.occurredAt > to) break;
      const effect = effectOf(event);
      balance += effect;
      const line: StatementLine = {
        event,
        amountDeltaMinor: String(effect),
        balanceAfterMinor: String(balance),
        proof: this.proofOf(event.eventId),
      };
      if (event.occurredAt <= from) anchor = line;
      else {
        lines.push(line);
        if (effect > 0n) credits += effect;
        else debits -= effect;
      }
    }
    const numbers = [anchor, ...lines].flatMap((line) =>
      line?.proof ? [line.proof.checkpoint] : [],
    );
    const body: StatementBody = {
      format: 'chronicle.statement.v1',
      account: {
        id: accountId,
        ownerId: String(opened.data.ownerId),
        currency: String(opened.data.currency),
        currencyExponent: 2,
      },
      from,
      to,
      openingBalanceMinor: anchor?.balanceAfterMinor ?? '0',
      closingBalanceMinor: String(balance),
      totals: { creditsMinor: String(credits), debitsMinor: String(debits) },
      anchor,
      lines,
      checkpoints: [...new Set(numbers)]
        .sort((a, b) => a - b)
        .map((n) => this.checkpoints[n - 1] as SignedCheckpoint),
      generatedAt: at(600),
      keyId: KEY_ID,
      publicKey: JWK,
    };
    return signStatement(body);
  }
}

export function signStatement(body: StatementBody, key: KeyObject = privateKey): SignedStatement {
  return {
    statement: body,
    signature: signBase64(Buffer.from(referenceCanonicalJson(body), 'utf8'), key),
  };
}
