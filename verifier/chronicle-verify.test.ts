// The offline verifier, verifier/chronicle-verify.mjs, checked three ways: its own primitives
// against the test vectors of docs/formats/evidence-v1.md §8; the command line, run as an auditor
// would (a child process of plain Node.js, once from a copy alone in an empty directory) on
// documents built with the reference encoder (lib/evidence); and every kind of tampering the
// format is meant to expose, each of which must be reported precisely.

import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkpointBytes,
  checkpointHash,
  keyIdOf,
  publicJwk,
  type CheckpointBody,
  type SealedLeaf,
  type SignedCheckpoint,
} from '../lib/evidence/checkpoint';
import {
  inclusionPath as referenceInclusionPath,
  leafHash as referenceLeafHash,
  merkleRoot as referenceMerkleRoot,
} from '../lib/evidence/merkle';
import {
  checkStatementArithmetic,
  type EvidenceEvent,
  type InclusionProof,
  type ProofDocument,
  type SignedStatement,
  type StatementBody,
  type StatementLine,
} from '../lib/evidence/statement';
import { balanceDelta, EVENT_TYPES, type LedgerEvent } from '../lib/ledger/events';
import {
  canonicalJson as referenceCanonicalJson,
  eventHash as referenceEventHash,
  GENESIS_HASH,
} from '../lib/ledger/hash-chain';
import {
  at,
  hex,
  JWK,
  KEY_ID,
  Ledger,
  privateKey,
  publicKey,
  signBase64,
  signStatement,
  type Mutable,
} from './test-ledger';

// ---------------------------------------------------------------------------------------------
// The module under test, loaded as the plain JavaScript file an auditor copies.

interface VerificationResult {
  valid: boolean;
  kind: 'checkpoints' | 'checkpoint' | 'proof' | 'statement' | 'package';
  verdict: string;
  problems: string[];
  warnings: string[];
  checks: { check: string; ok: boolean }[];
  summary: Record<string, unknown>;
}

type Hash = string | Uint8Array;

interface Verifier {
  canonicalJson(value: unknown): string;
  eventHash(event: object): string;
  leafBytes(leaf: SealedLeaf): Buffer;
  leafHash(leaf: Uint8Array): Buffer;
  nodeHash(left: Hash, right: Hash): Buffer;
  merkleRoot(leafHashes: readonly Hash[]): Buffer;
  inclusionPath(leafHashes: readonly Hash[], index: number): Buffer[];
  verifyInclusion(
    leaf: Hash,
    index: number,
    size: number,
    path: readonly Hash[],
    root: Hash,
  ): boolean;
  checkpointBytes(body: unknown): Buffer;
  checkpointHash(body: unknown): string;
  publicKeyFromJwk(jwk: unknown): KeyObject;
  parsePublicKey(text: string): KeyObject;
  keyIdOf(key: KeyObject): string;
  checkCheckpoint(signed: unknown, key: KeyObject): string[];
  balanceEffect(event: { type: string; data: Record<string, unknown> }): bigint;
  instantMicros(text: unknown): bigint | null;
  verifyCheckpoints(input: string | unknown[], publicKey?: unknown): VerificationResult;
  verifyCheckpoint(signed: unknown, publicKey?: unknown): VerificationResult;
  verifyProof(doc: unknown, publicKey?: unknown): VerificationResult;
  verifyStatement(doc: unknown, publicKey?: unknown): VerificationResult;
}

const VERIFIER = fileURLToPath(new URL('./chronicle-verify.mjs', import.meta.url));
const verifier = (await import(VERIFIER)) as Verifier;

// ---------------------------------------------------------------------------------------------
// Keys: RFC 8032 §7.1 TEST 1 (test-ledger.ts), and a stranger's key.

const stranger = generateKeyPairSync('ed25519');

const unhex = (text: string) => Buffer.from(text, 'hex');

// ---------------------------------------------------------------------------------------------
// §8 test vectors

const TREE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const TREE_HEADS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const PATH_OF_LEAF_5 = [
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
];

const docsMetadata = (n: number) => ({
  actor: 'system:docs',
  correlationId: `0195a1b2-c3d4-7e5f-8a9b-00000000000${n}`,
});
const DOC_EVENTS = [
  {
    eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    type: 'account_opened',
    data: { accountId: 'acc_demo', ownerId: 'cust_1', currency: 'USD' },
    occurredAt: '2026-03-15T14:47:00.000000Z',
    hash: '541dfe1fe4cf4258aaca648264a44c4f17d22be74dbe29fd8b76a52cdb37137e',
    globalPosition: '1',
    recordedAt: '2026-03-15T14:47:00.120000Z',
    leafHash: '7f86066f4a7a12c944c728ddbf43c7953a7b4b268428683a3089153a560b1436',
  },
  {
    eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
    type: 'funds_deposited',
    data: { amountMinor: '25000', currency: 'USD', source: 'Wire', reference: 'INV-1' },
    occurredAt: '2026-03-15T15:00:00.000000Z',
    hash: '3a761a68a6a09d0e441579465a1dcccef3b52110027c8e79b941841bfd661df0',
    globalPosition: '2',
    recordedAt: '2026-03-15T15:00:00.250000Z',
    leafHash: 'e3f65d72e62fa0dd749b2369d4196cace6a1558bb34f8f21c77bbe1f23e1ae11',
  },
  {
    eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d',
    type: 'funds_withdrawn',
    data: {
      amountMinor: '8990',
      currency: 'USD',
      destination: 'Card — Gadget Store',
      reference: 'TXN-7781',
    },
    occurredAt: '2026-03-15T16:30:00.000000Z',
    hash: '6bcc7d45c043e3aa441d7c7f277b1f1494cad2223029f01485b51d6706e5b268',
    globalPosition: '4',
    recordedAt: '2026-03-15T16:30:00.031000Z',
    leafHash: '79a801405b8792928dba63136c22edd21b0d93c30d4fa61318d8068d4181d06b',
  },
];
const DOC_TREE_HEAD = 'f95adf774dc07b1b858d5946a5e4170d098311f74e608f610356d701c7948759';
const DOC_CHECKPOINT_1 =
  '{"eventCount":3,"format":"chronicle.checkpoint.v1","keyId":"21fe31dfa154a261","merkleRoot":"f95adf774dc07b1b858d5946a5e4170d098311f74e608f610356d701c7948759","number":1,"previousHash":"0000000000000000000000000000000000000000000000000000000000000000","sealedAt":"2026-03-15T16:30:05.000000Z","streamHeads":[{"hash":"6bcc7d45c043e3aa441d7c7f277b1f1494cad2223029f01485b51d6706e5b268","streamId":"account-acc_demo","version":3}],"through":{"globalPosition":"4","transactionId":"752"}}';
const DOC_CHECKPOINT_1_HASH = '8a451bb6198ad7f62689f63ff2f8db80818f9d2959df0980790282b9202aae54';
const DOC_CHECKPOINT_1_SIGNATURE =
  'kp3z6f0mOugtfkzQjlJbJDADgh1Egy0+YEC9p8ORH/3w8IvSt0tcTTD3xlfUx3TDBegUJhKbLRPlrVd/wHmpCg==';

describe("the verifier's primitives, against the test vectors of §8", () => {
  const treeLeaves = TREE_LEAVES.map((leaf) => verifier.leafHash(unhex(leaf)));

  it('gives the RFC 6962 tree heads for 0 to 8 leaves', () => {
    for (let size = 0; size <= 8; size += 1)
      expect(hex(verifier.merkleRoot(treeLeaves.slice(0, size))), `size ${size}`).toBe(
        TREE_HEADS[size],
      );
  });

  it('gives the audit path of leaf 5 of 8, and verifies it', () => {
    expect(verifier.inclusionPath(treeLeaves, 5).map(hex)).toEqual(PATH_OF_LEAF_5);
    const root = TREE_HEADS[8] as string;
    expect(verifier.verifyInclusion(treeLeaves[5] as Buffer, 5, 8, PATH_OF_LEAF_5, root)).toBe(
      true,
    );
    // (Size 7 would pass: a path alone does not fix the tree size, the signed checkpoint does.)
    expect(verifier.verifyInclusion(treeLeaves[5] as Buffer, 4, 8, PATH_OF_LEAF_5, root)).toBe(
      false,
    );
    expect(verifier.verifyInclusion(treeLeaves[5] as Buffer, 5, 6, PATH_OF_LEAF_5, root)).toBe(
      false,
    );
    expect(verifier.verifyInclusion(treeLeaves[4] as Buffer, 5, 8, PATH_OF_LEAF_5, root)).toBe(
      false,
    );
    expect(
      verifier.verifyInclusion(treeLeaves[5] as Buffer, 5, 8, PATH_OF_LEAF_5.slice(0, 2), root),
    ).toBe(false);
  });

  it('agrees with the reference tree on every leaf of every tree up to 40 leaves', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => referenceLeafHash(Buffer.from([i, 3])));
    for (let size = 0; size <= leaves.length; size += 1) {
      const tree = leaves.slice(0, size);
      const root = verifier.merkleRoot(tree);
      expect(hex(root)).toBe(hex(referenceMerkleRoot(tree)));
      for (let index = 0; index < size; index += 1) {
        const path = verifier.inclusionPath(tree, index);
        expect(path.map(hex)).toEqual(referenceInclusionPath(tree, index).map(hex));
        expect(verifier.verifyInclusion(tree[index] as Buffer, index, size, path, root)).toBe(true);
        if (size > 1)
          expect(
            verifier.verifyInclusion(tree[index] as Buffer, (index + 1) % size, size, path, root),
          ).toBe(false);
      }
    }
  });

  it('hashes the three events, their leaves and their tree as documented', () => {
    let prevHash = GENESIS_HASH;
    const leaves: SealedLeaf[] = [];
    DOC_EVENTS.forEach((event, i) => {
      const hash = verifier.eventHash({
        eventId: event.eventId,
        streamId: 'account-acc_demo',
        streamVersion: i + 1,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: docsMetadata(i + 1),
        occurredAt: event.occurredAt,
        prevHash,
      });
      expect(hash, event.type).toBe(event.hash);
      const leaf = {
        eventHash: hash,
        globalPosition: event.globalPosition,
        recordedAt: event.recordedAt,
      };
      expect(hex(verifier.leafHash(verifier.leafBytes(leaf)))).toBe(event.leafHash);
      leaves.push(leaf);
      prevHash = hash;
    });
    expect(verifier.leafBytes(leaves[0] as SealedLeaf).toString('utf8')).toBe(
      `{"eventHash":"${DOC_EVENTS[0]?.hash}","globalPosition":"1","recordedAt":"2026-03-15T14:47:00.120000Z"}`,
    );
    const leafHashes = leaves.map((leaf) => verifier.leafHash(verifier.leafBytes(leaf)));
    expect(hex(verifier.merkleRoot(leafHashes))).toBe(DOC_TREE_HEAD);
    expect(verifier.inclusionPath(leafHashes, 2).map(hex)).toEqual([
      'c0a3648bfe0f9618629bb4898b3c7f9c39ef83dd070cb689363bca208273aa07',
    ]);
  });

  it('encodes, hashes and checks checkpoint 1 as documented, with the TEST 1 key', () => {
    const key = verifier.publicKeyFromJwk(JWK);
    expect(verifier.keyIdOf(key)).toBe(KEY_ID);
    expect(
      hex(
        verifier
          .parsePublicKey(
            createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string,
          )
          .export({ format: 'der', type: 'spki' }),
      ),
    ).toBe(hex(key.export({ format: 'der', type: 'spki' })));
    // The body of GET /api/v1/checkpoints/public-key, saved as is, and the raw key in hex.
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    for (const text of [
      JSON.stringify({ keyId: KEY_ID, jwk: JWK, pem }),
      JSON.stringify(JWK),
      pem,
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\n',
    ])
      expect(verifier.keyIdOf(verifier.parsePublicKey(text))).toBe(KEY_ID);
    const body = JSON.parse(DOC_CHECKPOINT_1) as CheckpointBody;
    expect(verifier.checkpointBytes(body).toString('utf8')).toBe(DOC_CHECKPOINT_1);
    expect(verifier.checkpointHash(body)).toBe(DOC_CHECKPOINT_1_HASH);
    expect(signBase64(verifier.checkpointBytes(body))).toBe(DOC_CHECKPOINT_1_SIGNATURE);
    const signed = {
      checkpoint: body,
      hash: DOC_CHECKPOINT_1_HASH,
      signature: DOC_CHECKPOINT_1_SIGNATURE,
    };
    expect(verifier.checkCheckpoint(signed, key)).toEqual([]);
    expect(
      verifier.checkCheckpoint({ ...signed, checkpoint: { ...body, eventCount: 4 } }, key),
    ).toEqual([
      expect.stringMatching(/^its hash does not match its contents/),
      expect.stringMatching(/^its signature does not verify/),
    ]);
    const forged = { ...body, eventCount: 4 };
    expect(
      verifier.checkCheckpoint(
        {
          checkpoint: forged,
          hash: verifier.checkpointHash(forged),
          signature: DOC_CHECKPOINT_1_SIGNATURE,
        },
        key,
      ),
    ).toEqual([expect.stringMatching(/^its signature does not verify/)]);
    expect(verifier.checkCheckpoint(signed, stranger.publicKey)).toEqual([
      expect.stringMatching(/^it names signing key "21fe31dfa154a261", not the verifying key/),
      expect.stringMatching(/^its signature does not verify/),
    ]);
  });

  it('writes canonical JSON as RFC 8785 does for these values', () => {
    const value = {
      b: [1, 'two', null, true, false, { z: -3, a: '\u2028"\\\n' }],
      a: 'é €',
      '\uffff': 0,
      '\u{1f600}': 1, // sorts before U+FFFF by UTF-16 code units, after it by code points
      '10': 'x',
      '9': 'y',
    };
    const expected =
      '{"10":"x","9":"y","a":"é €","b":[1,"two",null,true,false,{"a":"\u2028\\"\\\\\\n","z":-3}],"\u{1f600}":1,"\uffff":0}';
    expect(verifier.canonicalJson(value)).toBe(expected);
    expect(verifier.canonicalJson(value)).toBe(referenceCanonicalJson(value));
    expect(verifier.canonicalJson('\ud800')).toBe('"\\ud800"');
    expect(() => verifier.canonicalJson({ amount: 1.5 })).toThrow(/integer/);
    expect(() => verifier.canonicalJson(2 ** 53)).toThrow(/integer/);
    expect(() => verifier.canonicalJson({ f: () => 1 })).toThrow();
  });

  it('applies the balance-effect table of §7', () => {
    const effect = (type: string, amountMinor?: string) =>
      verifier.balanceEffect({ type, data: amountMinor === undefined ? {} : { amountMinor } });
    for (const type of [
      'funds_deposited',
      'transfer_completed',
      'charge_reversed',
      'provisional_credit_given',
      'disputed_charge_refunded',
    ])
      expect(effect(type, '123'), type).toBe(123n);
    for (const type of [
      'funds_withdrawn',
      'transfer_initiated',
      'held_funds_captured',
      'provisional_credit_reversed',
      'shortfall_collected',
    ])
      expect(effect(type, '123'), type).toBe(-123n);
    for (const type of [
      'account_opened',
      'account_frozen',
      'account_unfrozen',
      'funds_held',
      'held_funds_released',
      'held_funds_expired',
      'charge_disputed',
      'charge_dispute_closed',
      'shortfall_written_off',
      'dispute_provisional_credit_given',
      'something_new',
    ])
      expect(effect(type, '123'), type).toBe(0n);
    expect(effect('funds_deposited', '9007199254740993')).toBe(9007199254740993n);
    expect(() => effect('funds_withdrawn')).toThrow(/amountMinor/);
    expect(() => effect('funds_withdrawn', '-5')).toThrow(/amountMinor/);
  });

  it("agrees with the ledger's own balanceDelta on every event type it knows", () => {
    // The app's definition (lib/ledger/events.ts) and the verifier's table must never drift: a
    // new credit or debit added to one alone makes every statement holding it fail.
    for (const type of EVENT_TYPES)
      expect(verifier.balanceEffect({ type, data: { amountMinor: '123' } }), type).toBe(
        balanceDelta({ type, data: { amountMinor: 123n } } as unknown as LedgerEvent),
      );
  });

  it('reads only exact six-digit UTC instants', () => {
    expect(verifier.instantMicros('2026-03-15T14:47:00.000001Z')).toBe(1773586020000001n);
    for (const bad of [
      '2026-03-15T14:47:00.000Z',
      '2026-03-15T14:47:00.000000+00:00',
      '2026-02-30T00:00:00.000000Z',
      '2026-03-15 14:47:00.000000Z',
      42,
    ])
      expect(verifier.instantMicros(bad), String(bad)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// A small ledger built with the reference encoder: events of several accounts, sealed into
// signed checkpoints, from which proofs and statements are made.

const ledger = new Ledger();
const transfer = {
  transferId: 'tr_1',
  fromAccountId: 'acc_alice',
  toAccountId: 'acc_bob',
  amountMinor: '30000',
  currency: 'USD',
  reference: 'Rent March',
};
// Checkpoint 1
ledger.commit({
  accountId: 'acc_alice',
  type: 'account_opened',
  data: { accountId: 'acc_alice', ownerId: 'cust_alice', currency: 'USD' },
  occurredAt: at(0),
});
ledger.commit({
  accountId: 'acc_bob',
  type: 'account_opened',
  data: { accountId: 'acc_bob', ownerId: 'cust_bob', currency: 'USD' },
  occurredAt: at(1),
});
const [aliceDeposit] = ledger.commit({
  accountId: 'acc_alice',
  type: 'funds_deposited',
  data: { amountMinor: '250000', currency: 'USD', source: 'Wire', reference: 'PAYROLL-03' },
  occurredAt: at(5),
});
ledger.commit({
  accountId: 'acc_bob',
  type: 'funds_deposited',
  data: { amountMinor: '10000', currency: 'USD', source: 'Cash', reference: 'BRANCH-2' },
  occurredAt: at(6),
});
ledger.seal(at(7));
// Checkpoint 2
const [, bobTransferIn] = ledger.commit(
  { accountId: 'acc_alice', type: 'transfer_initiated', data: transfer, occurredAt: at(60) },
  { accountId: 'acc_bob', type: 'transfer_completed', data: transfer, occurredAt: at(60) },
);
ledger.commit({
  accountId: 'acc_alice',
  type: 'funds_held',
  data: {
    holdId: 'hold_1',
    amountMinor: '5000',
    currency: 'USD',
    expiresAt: null,
    reason: 'Card authorisation',
    reference: 'AUTH-99',
  },
  occurredAt: at(70),
});
ledger.commit({
  accountId: 'acc_alice',
  type: 'funds_withdrawn',
  data: {
    amountMinor: '8990',
    currency: 'USD',
    destination: 'Card — Gadget Store',
    reference: 'TXN-7781',
  },
  occurredAt: at(80),
});
ledger.seal(at(81));
// Checkpoint 3
const [carolOpened] = ledger.commit({
  accountId: 'acc_carol',
  type: 'account_opened',
  data: { accountId: 'acc_carol', ownerId: 'cust_carol', currency: 'EUR' },
  occurredAt: at(120),
});
ledger.commit({
  accountId: 'acc_carol',
  type: 'funds_deposited',
  data: { amountMinor: '7700', currency: 'EUR', source: 'SEPA', reference: 'INV-12' },
  occurredAt: at(121),
});
ledger.commit({
  accountId: 'acc_alice',
  type: 'held_funds_captured',
  data: { holdId: 'hold_1', amountMinor: '5000', currency: 'USD' },
  occurredAt: at(130),
});
ledger.commit({
  accountId: 'acc_alice',
  type: 'charge_reversed',
  data: {
    originalEventId: '0195a1b2-0000-7000-8000-000000000008',
    amountMinor: '1200',
    currency: 'USD',
    reason: 'Duplicate charge',
  },
  occurredAt: at(140),
});
ledger.commit({
  accountId: 'acc_bob',
  type: 'funds_withdrawn',
  data: { amountMinor: '2000', currency: 'USD', destination: 'ATM', reference: 'ATM-1' },
  occurredAt: at(141),
});
ledger.seal(at(142));
// Not yet sealed
const [aliceLateDeposit] = ledger.commit({
  accountId: 'acc_alice',
  type: 'funds_deposited',
  data: { amountMinor: '4400', currency: 'USD', source: 'Cheque', reference: 'CHQ-5' },
  occurredAt: at(200),
});
ledger.commit({
  accountId: 'acc_carol',
  type: 'funds_withdrawn',
  data: { amountMinor: '700', currency: 'EUR', destination: 'Card — Bakery', reference: 'TXN-1' },
  occurredAt: at(201),
});

const FROM = at(30); // after Alice's deposit (the anchor), before the transfer
const TO = at(300);
const aliceStatement = ledger.statement('acc_alice', FROM, TO);
const carolStatement = ledger.statement('acc_carol', FROM, TO);
const bobProof = ledger.proofDocument(bobTransferIn as EvidenceEvent);
const unsealedProof = ledger.proofDocument(aliceLateDeposit as EvidenceEvent);
const checkpointsJsonl = (checkpoints: readonly unknown[]) =>
  checkpoints.map((checkpoint) => `${JSON.stringify(checkpoint)}\n`).join('');

/** A deep copy, changed, and (by default) signed again with the right key. */
function editStatement(
  change: (body: Mutable<StatementBody>) => void,
  resign: KeyObject | null = privateKey,
  base: SignedStatement = aliceStatement,
): SignedStatement {
  const copy = structuredClone(base) as Mutable<SignedStatement>;
  change(copy.statement);
  return resign
    ? signStatement(copy.statement as StatementBody, resign)
    : (copy as SignedStatement);
}

function editCheckpoints(change: (checkpoints: Mutable<SignedCheckpoint>[]) => void): string {
  const copy = structuredClone(ledger.checkpoints) as Mutable<SignedCheckpoint>[];
  change(copy);
  return checkpointsJsonl(copy);
}

function resealed(signed: Mutable<SignedCheckpoint>): Mutable<SignedCheckpoint> {
  const body = signed.checkpoint as CheckpointBody;
  return {
    checkpoint: signed.checkpoint,
    hash: checkpointHash(body),
    signature: signBase64(checkpointBytes(body)),
  };
}

// ---------------------------------------------------------------------------------------------
// Running the verifier as an auditor does

let dir = '';
let alone = '';
const file = (name: string) => path.join(dir, name);
function write(name: string, content: unknown): string {
  writeFileSync(
    file(name),
    typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
  );
  return file(name);
}

function run(args: readonly string[], options: { script?: string; cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [options.script ?? VERIFIER, ...args], {
    cwd: options.cwd ?? dir,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'chronicle-verify-'));
  alone = mkdtempSync(path.join(tmpdir(), 'chronicle-verify-alone-'));
  write('key.jwk', JWK);
  write('key.pem', publicKey.export({ type: 'spki', format: 'pem' }) as string);
  write('stranger.jwk', publicJwk(stranger.publicKey));
  write('checkpoints.jsonl', checkpointsJsonl(ledger.checkpoints));
  write('checkpoint-2.json', ledger.checkpoints[1]);
  write('proof.json', bobProof);
  write('proof-unsealed.json', unsealedProof);
  write('statement.json', aliceStatement);
  write('statement-no-anchor.json', carolStatement);
});

afterAll(() => {
  for (const directory of [dir, alone])
    if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('the fixtures', () => {
  it('are what the tests below assume', () => {
    expect(ledger.checkpoints.map((signed) => signed.checkpoint.eventCount)).toEqual([4, 4, 5]);
    const body = aliceStatement.statement;
    expect(body.anchor?.event.eventId).toBe(aliceDeposit?.eventId);
    expect(body.lines.map((line) => line.proof?.checkpoint ?? null)).toEqual([2, 2, 2, 3, 3, null]);
    expect(body.checkpoints.map((signed) => signed.checkpoint.number)).toEqual([1, 2, 3]);
    expect(carolStatement.statement.anchor).toBeNull();
    expect(carolStatement.statement.lines[0]?.event.eventId).toBe(carolOpened?.eventId);
    // The reference encoder's own arithmetic (with the ledger's decoder) agrees with them.
    expect(checkStatementArithmetic(body)).toEqual([]);
    expect(checkStatementArithmetic(carolStatement.statement)).toEqual([]);
  });
});

describe('the command line on valid documents', () => {
  it('verifies a checkpoint file', () => {
    const { code, stdout } = run(['checkpoints.jsonl', '--public-key', 'key.jwk']);
    expect(stdout).toContain('checkpoint file');
    expect(stdout).toContain('3 checkpoints (numbers 1–3), sealing 13 events');
    expect(stdout).toMatch(/^VERDICT: VALID — 3 checkpoints \(1–3\) valid and chained/m);
    expect(code).toBe(0);
  });

  it('verifies a single checkpoint, with the key as PEM', () => {
    const { code, stdout } = run(['checkpoint-2.json', '--public-key', 'key.pem']);
    expect(stdout).toContain(`Key:   ${KEY_ID}, from key.pem`);
    expect(stdout).toMatch(/^VERDICT: VALID — checkpoint 2 valid/m);
    expect(code).toBe(0);
  });

  it('verifies a proof document', () => {
    const { code, stdout } = run(['proof.json', '--public-key', 'key.jwk']);
    expect(stdout).toContain('proof document (chronicle.proof.v1)');
    expect(stdout).toMatch(
      /^VERDICT: VALID — event "0195a1b2-[-0-9a-f]+" \(account-acc_bob version 3\) is proven in checkpoint 2 \(leaf 1 of 4\)$/m,
    );
    expect(stdout).not.toContain('TAKEN FROM THE DOCUMENT');
    expect(code).toBe(0);
  });

  it('says a proof of an event not yet sealed proves nothing yet, without failing', () => {
    const { code, stdout } = run(['proof-unsealed.json', '--public-key', 'key.jwk']);
    expect(stdout).toMatch(/^VERDICT: VALID — .*not yet sealed, so nothing proves it yet$/m);
    expect(code).toBe(0);
  });

  it('verifies a statement with an anchor, lines in two checkpoints and one not yet sealed', () => {
    const { code, stdout } = run(['statement.json', '--public-key', 'key.jwk']);
    expect(stdout).toContain('account statement (chronicle.statement.v1)');
    expect(stdout).toContain('6 lines, 5 proven in checkpoints 2, 3, 1 not yet sealed');
    expect(stdout).toContain(
      'anchor: event 0195a1b2-0000-7000-8000-000000000003 version 2, proven in checkpoint 1',
    );
    expect(stdout).toContain('opening balance 2500.00 USD, closing balance 2116.10 USD');
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toMatch(
      /^VERDICT: VALID — statement of account acc_alice valid, 1 line not yet sealed$/m,
    );
    expect(code).toBe(0);
  });

  it('verifies a statement without an anchor (the account was opened after from)', () => {
    const { code, stdout } = run(['statement-no-anchor.json', '--public-key', 'key.jwk']);
    expect(stdout).toContain('no anchor: the account was opened after from');
    expect(stdout).toContain('3 lines, 2 proven in checkpoint 3, 1 not yet sealed');
    expect(stdout).toMatch(/^VERDICT: VALID — .*valid, 1 line not yet sealed$/m);
    expect(code).toBe(0);
  });

  it('needs nothing but Node.js: a copy alone in an empty directory works', () => {
    const script = path.join(alone, 'chronicle-verify.mjs');
    copyFileSync(VERIFIER, script);
    expect(readdirSync(alone)).toEqual(['chronicle-verify.mjs']);
    const { code, stdout } = run([file('statement.json'), '--public-key', file('key.jwk')], {
      script,
      cwd: alone,
    });
    expect(stdout).toMatch(/^VERDICT: VALID — .*1 line not yet sealed$/m);
    expect(code).toBe(0);
  });

  it('says so when it used the key embedded in the document', () => {
    const { code, stdout } = run(['statement.json']);
    expect(stdout).toContain('TAKEN FROM THE DOCUMENT ITSELF');
    expect(stdout).toContain('the public key was taken from the document itself');
    expect(stdout).toContain('GET /api/v1/checkpoints/public-key');
    expect(stdout).toMatch(/^VERDICT: VALID — .*not an independently obtained key\)$/m);
    expect(code).toBe(0);
  });

  it('prints one JSON object with --json', () => {
    const { code, stdout } = run(['statement.json', '--json']);
    const output = JSON.parse(stdout) as VerificationResult;
    expect(output).toMatchObject({
      valid: true,
      kind: 'statement',
      problems: [],
      summary: {
        keySource: 'document',
        keyId: KEY_ID,
        lines: 6,
        proven: 5,
        provenIn: [2, 3],
        notYetSealed: 1,
        checkpoints: [1, 2, 3],
        account: { id: 'acc_alice', currency: 'USD' },
      },
    });
    expect(output.warnings).toContainEqual(
      expect.stringContaining('taken from the document itself'),
    );
    expect(output.verdict).toMatch(/^VERDICT: VALID/);
    expect(code).toBe(0);

    const invalid = run(['checkpoints.jsonl', '--json', '--public-key', 'stranger.jwk']);
    const result = JSON.parse(invalid.stdout) as VerificationResult;
    expect(result).toMatchObject({
      valid: false,
      kind: 'checkpoints',
      summary: { keySource: 'given' },
    });
    expect(result.problems).toHaveLength(6);
    expect(invalid.code).toBe(1);
  });

  it('answers usage, I/O and parse errors with exit code 2', () => {
    const noKey = run(['checkpoints.jsonl']);
    expect(noKey.stderr).toMatch(
      /checkpoint file carries no public key: pass Chronicle's key with --public-key/,
    );
    expect(noKey.stderr).toContain('Usage: node chronicle-verify.mjs');
    expect(noKey.code).toBe(2);
    expect(run(['checkpoint-2.json']).code).toBe(2);
    expect(run([]).code).toBe(2);
    expect(run(['statement.json', '--frobnicate']).code).toBe(2);
    expect(run(['missing.json']).stderr).toMatch(/cannot read missing\.json/);
    expect(run(['missing.json']).code).toBe(2);
    expect(run(['statement.json', '--public-key', 'missing.jwk']).code).toBe(2);
    write('not-json.json', '{"statement": ');
    expect(run(['not-json.json']).code).toBe(2);
    write('other.json', { hello: 'world' });
    expect(run(['other.json']).stderr).toMatch(/not a Chronicle evidence document/);
    expect(run(['other.json']).code).toBe(2);
    expect(run(['--help']).code).toBe(0);
  });
});

describe('the exported checks', () => {
  it('accept the valid documents', () => {
    expect(verifier.verifyStatement(aliceStatement, publicKey).valid).toBe(true);
    expect(verifier.verifyStatement(carolStatement, JWK).valid).toBe(true);
    expect(verifier.verifyProof(bobProof, publicKey).valid).toBe(true);
    expect(verifier.verifyCheckpoints(checkpointsJsonl(ledger.checkpoints), publicKey).valid).toBe(
      true,
    );
    expect(verifier.verifyCheckpoints(ledger.checkpoints, publicKey).valid).toBe(true);
    expect(verifier.verifyCheckpoint(ledger.checkpoints[2], publicKey).valid).toBe(true);
  });

  it('ignore a last line cut short mid-write, with a warning', () => {
    const text = `${checkpointsJsonl(ledger.checkpoints)}{"checkpoint":{"format":"chro`;
    const result = verifier.verifyCheckpoints(text, publicKey);
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/^line 4 is cut short/)]);
  });

  it('skip a line cut short that the sink then wrote again whole, and nothing else', () => {
    const lines = checkpointsJsonl(ledger.checkpoints).trimEnd().split('\n');
    const last = lines[2] as string;
    const retried = [lines[0], lines[1], last.slice(0, 40), last].join('\n');
    expect(verifier.verifyCheckpoints(`${retried}\n`, publicKey)).toMatchObject({
      valid: true,
      warnings: [],
    });
    // A line that is not the start of the next one is still a finding.
    const stray = [lines[0], last.slice(20, 60), lines[1], last].join('\n');
    expect(verifier.verifyCheckpoints(`${stray}\n`, publicKey).problems).toContainEqual(
      expect.stringMatching(/line 2: it is not JSON/),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Tampering

interface Tamper {
  name: string;
  kind: 'statement' | 'proof' | 'checkpoints';
  content: () => unknown;
  /** Every one of these must be among the problems. */
  expect: RegExp[];
  /** The exact number of problems, when the tampering causes exactly these. */
  count?: number;
  keyFile?: string;
}

const aliceLine = (n: number) => aliceStatement.statement.lines[n - 1] as StatementLine;
const lineName = (n: number) =>
  `line ${n} \\(event ${aliceLine(n).event.eventId}, version ${aliceLine(n).event.streamVersion}\\)`;
const bobsLine = (): StatementLine => ({
  event: bobTransferIn as EvidenceEvent,
  amountDeltaMinor: '-30000',
  balanceAfterMinor: '220000',
  proof: ledger.proofOf((bobTransferIn as EvidenceEvent).eventId),
});

const TAMPERS: Tamper[] = [
  {
    name: 'edited event data (hash mismatch)',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        (body.lines[2] as Mutable<StatementLine>).event.data.destination = 'Card — Elsewhere';
      }),
    expect: [
      new RegExp(
        `^${lineName(3)}: its contents hash to [0-9a-f]{64}, not to its stated hash "${aliceLine(3).event.hash}": the event was altered$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'edited recordedAt (the proof fails)',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        (body.lines[0] as Mutable<StatementLine>).event.recordedAt = at(59);
      }),
    expect: [
      new RegExp(
        `^${lineName(1)}: its inclusion proof \\(leaf 0 of 4, 2 path hashes\\) does not lead to checkpoint 2's merkleRoot`,
      ),
    ],
    count: 1,
  },
  {
    name: 'edited recordedAt in a proof document',
    kind: 'proof',
    content: () => ({ ...bobProof, event: { ...bobProof.event, recordedAt: at(61) } }),
    expect: [
      /\(account-acc_bob version 3\): its inclusion proof \(leaf 1 of 4.*does not lead to checkpoint 2's merkleRoot/,
    ],
    count: 1,
  },
  {
    name: 'broken chain (prevHash)',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        const event = (body.lines[1] as Mutable<StatementLine>).event;
        event.prevHash = aliceLine(3).event.hash;
        event.hash = referenceEventHash(event);
      }),
    expect: [
      new RegExp(
        `^${lineName(2)}: its prevHash [0-9a-f]{8}…[0-9a-f]{4} is not the hash of the previous line \\(${lineName(1)}: .*the chain is broken$`,
      ),
      new RegExp(`^${lineName(3)}: its prevHash .* is not the hash of the previous line`),
    ],
  },
  {
    name: 'version gap (a line removed)',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.lines.splice(1, 1);
      }),
    expect: [
      new RegExp(
        `^${lineName(3).replace('line 3', 'line 2')}: version 5 follows version 3 \\(${lineName(1)}\\): version 4 is missing$`,
      ),
      /^line 2 .*: its prevHash .* is not the hash of the previous line/,
    ],
    count: 2,
  },
  {
    name: 'wrong amountDeltaMinor',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        (body.lines[2] as Mutable<StatementLine>).amountDeltaMinor = '-8900';
      }),
    expect: [
      new RegExp(
        `^${lineName(3)}: amountDeltaMinor is -8900, but a funds_withdrawn of amountMinor 8990 moves the balance by -8990$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'wrong balanceAfterMinor',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        (body.lines[3] as Mutable<StatementLine>).balanceAfterMinor = '206011';
      }),
    expect: [
      new RegExp(
        `^${lineName(4)}: balanceAfterMinor is 206011, but the previous balance plus -5000 is 206010$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'wrong closing balance',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.closingBalanceMinor = '216000';
      }),
    expect: [/^closingBalanceMinor 216000 is not the last balance 211610$/],
    count: 1,
  },
  {
    name: 'wrong opening balance',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.openingBalanceMinor = '260000';
      }),
    expect: [/^openingBalanceMinor 260000 is not the anchor's balanceAfterMinor 250000$/],
    count: 1,
  },
  {
    name: 'wrong totals',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.totals.creditsMinor = '1';
        body.totals.debitsMinor = '43000';
      }),
    expect: [
      /^totals\.creditsMinor 1 is not the sum of the lines' credits 5600$/,
      /^totals\.debitsMinor 43000 is not the sum of the lines' debits 43990$/,
    ],
    count: 2,
  },
  {
    name: 'event after to',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.to = at(150);
      }),
    expect: [
      new RegExp(
        `^${lineName(6)}: it occurred at ${at(200)}, after the statement's to ${at(150)}$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'event not after from',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.from = at(65);
      }),
    expect: [
      new RegExp(
        `^${lineName(1)}: it occurred at ${at(60)}, not after the statement's from ${at(65)}$`,
      ),
    ],
    count: 1,
  },
  {
    name: "another account's event",
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.lines[0] = bobsLine() as Mutable<StatementLine>;
      }),
    expect: [
      /^line 1 \(event .*, version 3\): it belongs to stream "account-acc_bob", not account-acc_alice/,
    ],
  },
  {
    name: 'statement signature altered',
    kind: 'statement',
    content: () => ({
      ...aliceStatement,
      signature: `${aliceStatement.signature.slice(0, 10)}${aliceStatement.signature[10] === 'A' ? 'B' : 'A'}${aliceStatement.signature.slice(11)}`,
    }),
    expect: [/^the statement's signature does not verify with key 21fe31dfa154a261/],
    count: 1,
  },
  {
    name: 'statement changed without signing again',
    kind: 'statement',
    content: () => editStatement((body) => void (body.account.ownerId = 'cust_mallory'), null),
    expect: [/^the statement's signature does not verify/],
    count: 1,
  },
  {
    name: 'statement signed with a different key than --public-key',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        body.keyId = keyIdOf(stranger.publicKey);
        body.publicKey = publicJwk(stranger.publicKey);
      }, stranger.privateKey),
    expect: [
      /^the document embeds public key [0-9a-f]{16}, not the given key 21fe31dfa154a261$/,
      /^the statement names key "[0-9a-f]{16}", not the verifying key 21fe31dfa154a261$/,
      /^the statement's signature does not verify with key 21fe31dfa154a261/,
    ],
    count: 3,
  },
  {
    name: 'tampered Merkle path',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        const proof = (body.lines[4] as Mutable<StatementLine>).proof as Mutable<InclusionProof>;
        const node = proof.path[1] as string;
        proof.path[1] = `${node.slice(0, 20)}${node[20] === '0' ? '1' : '0'}${node.slice(21)}`;
      }),
    expect: [
      new RegExp(
        `^${lineName(5)}: its inclusion proof \\(leaf 3 of 5, .*does not lead to checkpoint 3's merkleRoot`,
      ),
    ],
    count: 1,
  },
  {
    name: 'tampered Merkle path in a proof document',
    kind: 'proof',
    content: () => {
      const doc = structuredClone(bobProof) as Mutable<ProofDocument>;
      (doc.proof as Mutable<InclusionProof>).path.reverse();
      return doc;
    },
    expect: [/does not lead to checkpoint 2's merkleRoot/],
    count: 1,
  },
  {
    name: 'wrong leaf index',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        ((body.lines[1] as Mutable<StatementLine>).proof as Mutable<InclusionProof>).leafIndex = 3;
      }),
    expect: [
      new RegExp(
        `^${lineName(2)}: its inclusion proof \\(leaf 3 of 4, .*does not lead to checkpoint 2's merkleRoot`,
      ),
    ],
    count: 1,
  },
  {
    name: 'wrong leaf index in a proof document',
    kind: 'proof',
    content: () => ({ ...bobProof, proof: { ...bobProof.proof, leafIndex: 0 } }),
    expect: [/its inclusion proof \(leaf 0 of 4, .*does not lead to checkpoint 2's merkleRoot/],
    count: 1,
  },
  {
    name: 'proof claiming a smaller tree',
    kind: 'proof',
    content: () => ({ ...bobProof, proof: { ...bobProof.proof, treeSize: 2 } }),
    expect: [/its proof says the tree has 2 leaves, but checkpoint 2 has eventCount 4/],
    count: 1,
  },
  {
    name: 'checkpoint body changed (hash mismatch), in a statement',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        (body.checkpoints[1] as Mutable<SignedCheckpoint>).checkpoint.sealedAt = at(90);
      }),
    expect: [/^checkpoints\[1\] \(checkpoint 2\): its hash does not match its contents/],
  },
  {
    name: 'checkpoint body changed (hash mismatch), in a checkpoint file',
    kind: 'checkpoints',
    content: () =>
      editCheckpoints((checkpoints) => {
        (checkpoints[1] as Mutable<SignedCheckpoint>).checkpoint.eventCount = 3;
      }),
    expect: [
      /^line 2 \(checkpoint 2\): its hash does not match its contents: the body hashes to [0-9a-f]{64}, the document says "[0-9a-f]{64}"/,
    ],
    count: 2, // its signature, too, no longer verifies
  },
  {
    name: 'checkpoint hashed again but not signed again',
    kind: 'checkpoints',
    content: () =>
      editCheckpoints((checkpoints) => {
        const signed = checkpoints[1] as Mutable<SignedCheckpoint>;
        signed.checkpoint.merkleRoot = '0'.repeat(64);
        signed.hash = checkpointHash(signed.checkpoint as CheckpointBody);
      }),
    expect: [
      /^line 2 \(checkpoint 2\): its signature does not verify with key 21fe31dfa154a261/,
      /^line 3 \(checkpoint 3\): its previousHash .* is not the hash of checkpoint 2/,
    ],
    count: 2,
  },
  {
    name: 'checkpoint file with a gap in the numbers',
    kind: 'checkpoints',
    content: () => editCheckpoints((checkpoints) => void checkpoints.splice(1, 1)),
    expect: [
      /^line 2 \(checkpoint 3\): checkpoint 3 follows checkpoint 1 \(line 1\): checkpoint 2 is missing$/,
    ],
    count: 1,
  },
  {
    name: 'checkpoint file with a broken previousHash',
    kind: 'checkpoints',
    content: () =>
      editCheckpoints((checkpoints) => {
        const signed = checkpoints[2] as Mutable<SignedCheckpoint>;
        signed.checkpoint.previousHash = (checkpoints[0] as Mutable<SignedCheckpoint>).hash;
        checkpoints[2] = resealed(signed);
      }),
    expect: [
      /^line 3 \(checkpoint 3\): its previousHash [0-9a-f]{8}…[0-9a-f]{4} is not the hash of checkpoint 2 \([0-9a-f]{8}…[0-9a-f]{4}, line 2\)$/,
    ],
    count: 1,
  },
  {
    name: 'statement checkpoints that do not chain',
    kind: 'statement',
    content: () =>
      editStatement((body) => {
        const signed = body.checkpoints[2] as Mutable<SignedCheckpoint>;
        signed.checkpoint.previousHash = '1'.repeat(64);
        body.checkpoints[2] = resealed(signed);
      }),
    expect: [
      /^checkpoints\[2\] \(checkpoint 3\): its previousHash 11111111…1111 is not the hash of checkpoint 2/,
    ],
    count: 1,
  },
];

describe('tampered documents', () => {
  it.each(TAMPERS)('$name: INVALID, precisely', (tamper) => {
    const content = tamper.content();
    const name = `tampered.${tamper.kind === 'checkpoints' ? 'jsonl' : 'json'}`;
    write(name, content);
    const { code, stdout } = run([name, '--public-key', tamper.keyFile ?? 'key.jwk']);
    expect(stdout).toMatch(/^VERDICT: INVALID — \d+ problems? found$/m);
    expect(code).toBe(1);

    const check =
      tamper.kind === 'statement'
        ? verifier.verifyStatement
        : tamper.kind === 'proof'
          ? verifier.verifyProof
          : verifier.verifyCheckpoints;
    const result = check(content as never, publicKey);
    expect(result.valid).toBe(false);
    for (const pattern of tamper.expect) {
      expect(result.problems, String(pattern)).toContainEqual(expect.stringMatching(pattern));
      // The report names the same problem.
      expect(stdout).toMatch(
        new RegExp(pattern.source.replace(/^\^/, '  \\d+\\. ').replace(/\$$/, '$'), 'm'),
      );
    }
    if (tamper.count !== undefined) expect(result.problems).toHaveLength(tamper.count);
  });

  it('a statement signed with another key fails even against the key it embeds', () => {
    write(
      'forged.json',
      editStatement((body) => {
        body.keyId = keyIdOf(stranger.publicKey);
        body.publicKey = publicJwk(stranger.publicKey);
      }, stranger.privateKey),
    );
    const { code, stdout } = run(['forged.json']);
    // Its own signature checks with its own key, but Chronicle's checkpoints do not.
    expect(stdout).toContain('TAKEN FROM THE DOCUMENT ITSELF');
    expect(stdout).toMatch(
      /checkpoints\[0\] \(checkpoint 1\): it names signing key "21fe31dfa154a261", not the verifying key/,
    );
    expect(stdout).toMatch(/^VERDICT: INVALID/m);
    expect(code).toBe(1);
  });
});
