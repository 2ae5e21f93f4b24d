// The checkpoint encoding against the test vectors of docs/formats/evidence-v1.md §8: a verifier
// written from that document alone must produce exactly these bytes, hashes and signature.

import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../ledger/hash-chain';
import {
  checkSignedCheckpoint,
  checkpointBytes,
  checkpointHash,
  keyIdOf,
  leafHashOf,
  merkleRootOf,
  NO_PREVIOUS_CHECKPOINT,
  publicJwk,
  type CheckpointBody,
  type SealedLeaf,
} from './checkpoint';
import { inclusionPath } from './merkle';

// RFC 8032 §7.1, TEST 1.
const SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const privateKey = createPrivateKey({
  key: Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(SECRET, 'hex'),
  ]),
  format: 'der',
  type: 'pkcs8',
});
const publicKey = createPublicKey(privateKey);

const metadata = (n: number) => ({
  actor: 'system:docs',
  correlationId: `0195a1b2-c3d4-7e5f-8a9b-00000000000${n}`,
});
const first = {
  eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  streamId: 'account-acc_demo',
  streamVersion: 1,
  type: 'account_opened',
  schemaVersion: 1,
  data: { accountId: 'acc_demo', ownerId: 'cust_1', currency: 'USD' },
  metadata: metadata(1),
  occurredAt: '2026-03-15T14:47:00.000000Z',
  prevHash: GENESIS_HASH,
};
const second = {
  ...first,
  eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
  streamVersion: 2,
  type: 'funds_deposited',
  data: { amountMinor: '25000', currency: 'USD', source: 'Wire', reference: 'INV-1' },
  metadata: metadata(2),
  occurredAt: '2026-03-15T15:00:00.000000Z',
  prevHash: eventHash(first),
};
const third = {
  ...first,
  eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d',
  streamVersion: 3,
  type: 'funds_withdrawn',
  data: {
    amountMinor: '8990',
    currency: 'USD',
    destination: 'Card — Gadget Store',
    reference: 'TXN-7781',
  },
  metadata: metadata(3),
  occurredAt: '2026-03-15T16:30:00.000000Z',
  prevHash: eventHash(second),
};
const leaves: SealedLeaf[] = [
  { eventHash: eventHash(first), globalPosition: '1', recordedAt: '2026-03-15T14:47:00.120000Z' },
  { eventHash: eventHash(second), globalPosition: '2', recordedAt: '2026-03-15T15:00:00.250000Z' },
  { eventHash: eventHash(third), globalPosition: '4', recordedAt: '2026-03-15T16:30:00.031000Z' },
];

describe('the checkpoint test vectors', () => {
  it('hash the events, leaves and tree as documented', () => {
    expect(leaves.map((leaf) => leaf.eventHash)).toEqual([
      '541dfe1fe4cf4258aaca648264a44c4f17d22be74dbe29fd8b76a52cdb37137e',
      '3a761a68a6a09d0e441579465a1dcccef3b52110027c8e79b941841bfd661df0',
      '6bcc7d45c043e3aa441d7c7f277b1f1494cad2223029f01485b51d6706e5b268',
    ]);
    expect(leaves.map((leaf) => leafHashOf(leaf).toString('hex'))).toEqual([
      '7f86066f4a7a12c944c728ddbf43c7953a7b4b268428683a3089153a560b1436',
      'e3f65d72e62fa0dd749b2369d4196cace6a1558bb34f8f21c77bbe1f23e1ae11',
      '79a801405b8792928dba63136c22edd21b0d93c30d4fa61318d8068d4181d06b',
    ]);
    expect(merkleRootOf(leaves)).toBe(
      'f95adf774dc07b1b858d5946a5e4170d098311f74e608f610356d701c7948759',
    );
    expect(inclusionPath(leaves.map(leafHashOf), 2).map((node) => node.toString('hex'))).toEqual([
      'c0a3648bfe0f9618629bb4898b3c7f9c39ef83dd070cb689363bca208273aa07',
    ]);
  });

  it('encode, hash and sign checkpoint 1 as documented, and the signature checks', () => {
    expect(publicJwk(publicKey)).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
      kid: '21fe31dfa154a261',
    });
    const body: CheckpointBody = {
      format: 'chronicle.checkpoint.v1',
      number: 1,
      previousHash: NO_PREVIOUS_CHECKPOINT,
      through: { transactionId: '752', globalPosition: '4' },
      eventCount: 3,
      merkleRoot: merkleRootOf(leaves),
      streamHeads: [{ streamId: 'account-acc_demo', version: 3, hash: eventHash(third) }],
      sealedAt: '2026-03-15T16:30:05.000000Z',
      keyId: keyIdOf(publicKey),
    };
    expect(checkpointBytes(body).toString('utf8')).toBe(
      '{"eventCount":3,"format":"chronicle.checkpoint.v1","keyId":"21fe31dfa154a261","merkleRoot":"f95adf774dc07b1b858d5946a5e4170d098311f74e608f610356d701c7948759","number":1,"previousHash":"0000000000000000000000000000000000000000000000000000000000000000","sealedAt":"2026-03-15T16:30:05.000000Z","streamHeads":[{"hash":"6bcc7d45c043e3aa441d7c7f277b1f1494cad2223029f01485b51d6706e5b268","streamId":"account-acc_demo","version":3}],"through":{"globalPosition":"4","transactionId":"752"}}',
    );
    const hash = checkpointHash(body);
    expect(hash).toBe('8a451bb6198ad7f62689f63ff2f8db80818f9d2959df0980790282b9202aae54');
    const signature = sign(null, checkpointBytes(body), privateKey).toString('base64');
    expect(signature).toBe(
      'kp3z6f0mOugtfkzQjlJbJDADgh1Egy0+YEC9p8ORH/3w8IvSt0tcTTD3xlfUx3TDBegUJhKbLRPlrVd/wHmpCg==',
    );
    expect(checkSignedCheckpoint({ checkpoint: body, hash, signature }, publicKey)).toBeNull();
    expect(
      checkSignedCheckpoint({ checkpoint: { ...body, eventCount: 4 }, hash, signature }, publicKey),
    ).toBe('checkpoint 1: its hash does not match its contents');
    const forged = { ...body, eventCount: 4 };
    expect(
      checkSignedCheckpoint(
        { checkpoint: forged, hash: checkpointHash(forged), signature },
        publicKey,
      ),
    ).toBe('checkpoint 1: the signature does not verify');
  });
});
