// Signed ledger checkpoints: what Chronicle commits to about its whole log, so that an outsider
// holding only the public key can check any event against it. The exact encoding is specified in
// docs/formats/evidence-v1.md; this module is its reference implementation (pure, no I/O), and
// verifier/chronicle-verify.mjs is an independent one.
//
// A checkpoint seals the events committed since the previous one, in commit-safe global order:
// the Merkle tree head over one leaf per event (its hash, global position and recorded-at), the
// head of every stream the range touched, and the previous checkpoint's hash. Checkpoints are
// numbered from 1 without gaps and chained by that hash.

import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../ledger/hash-chain';
import { leafHash, merkleRoot } from './merkle';

export const CHECKPOINT_FORMAT = 'chronicle.checkpoint.v1';
/** `previousHash` of checkpoint 1. */
export const NO_PREVIOUS_CHECKPOINT = '0'.repeat(64);

/** What a checkpoint commits to for each event it seals. */
export interface SealedLeaf {
  /** The event's `hash` (docs/decisions/002-hash-chain.md), lowercase hex. */
  readonly eventHash: string;
  /** Its global position, as decimal digits. */
  readonly globalPosition: string;
  /** When the database recorded it: RFC 3339 UTC with six fractional digits. */
  readonly recordedAt: string;
}

export interface StreamHeadEntry {
  readonly streamId: string;
  readonly version: number;
  readonly hash: string;
}

export interface CheckpointBody {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly number: number;
  readonly previousHash: string;
  /** The last sealed event, in commit-safe order (its transaction id and global position). */
  readonly through: { readonly transactionId: string; readonly globalPosition: string };
  readonly eventCount: number;
  readonly merkleRoot: string;
  /** Each stream the sealed events belong to, at its last sealed event; sorted by stream id. */
  readonly streamHeads: readonly StreamHeadEntry[];
  readonly sealedAt: string;
  /** The signing key: the first 16 hex digits of SHA-256 over its 32 raw public key bytes. */
  readonly keyId: string;
}

export interface SignedCheckpoint {
  readonly checkpoint: CheckpointBody;
  /** SHA-256 of the canonical JSON of `checkpoint`, lowercase hex: what the next one chains to. */
  readonly hash: string;
  /** Ed25519 over the UTF-8 canonical JSON of `checkpoint`, base64. */
  readonly signature: string;
}

/** The bytes of an event's leaf: UTF-8 canonical JSON of its three fields. */
export function leafBytes(leaf: SealedLeaf): Buffer {
  return Buffer.from(
    canonicalJson({
      eventHash: leaf.eventHash,
      globalPosition: leaf.globalPosition,
      recordedAt: leaf.recordedAt,
    }),
    'utf8',
  );
}

export function leafHashOf(leaf: SealedLeaf): Buffer {
  return leafHash(leafBytes(leaf));
}

export function merkleRootOf(leaves: readonly SealedLeaf[]): string {
  return merkleRoot(leaves.map(leafHashOf)).toString('hex');
}

/** The bytes that are hashed and signed: UTF-8 canonical JSON of the body. */
export function checkpointBytes(body: CheckpointBody): Buffer {
  return Buffer.from(canonicalJson(body), 'utf8');
}

export function checkpointHash(body: CheckpointBody): string {
  return createHash('sha256').update(checkpointBytes(body)).digest('hex');
}

/** The key id of an Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

/** The public key as a JWK, with its key id. */
export function publicJwk(publicKey: KeyObject): {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
} {
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: rawPublicKey(publicKey).toString('base64url'),
    kid: keyIdOf(publicKey),
  };
}

export function publicKeyFromJwk(jwk: { kty: string; crv: string; x: string }): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
}

/** Why a signed checkpoint cannot be trusted, or null when its hash and signature hold. */
export function checkSignedCheckpoint(
  signed: SignedCheckpoint,
  publicKey: KeyObject,
): string | null {
  const body = signed.checkpoint;
  if (body.format !== CHECKPOINT_FORMAT) return `unknown format ${String(body.format)}`;
  if (checkpointHash(body) !== signed.hash)
    return `checkpoint ${body.number}: its hash does not match its contents`;
  if (body.keyId !== keyIdOf(publicKey))
    return `checkpoint ${body.number}: signed with key ${body.keyId}, not ${keyIdOf(publicKey)}`;
  const valid = verify(
    null,
    checkpointBytes(body),
    publicKey,
    Buffer.from(signed.signature, 'base64'),
  );
  return valid ? null : `checkpoint ${body.number}: the signature does not verify`;
}
