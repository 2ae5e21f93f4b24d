#!/usr/bin/env node
// chronicle-verify.mjs: the offline verifier of Chronicle's evidence documents (format v1).
//
// It checks, with nothing but Node.js 20 or later (no npm install, no other file), what Chronicle
// hands out as evidence:
//
//   - a checkpoint file (checkpoints.jsonl: one signed checkpoint per line),
//   - a single signed checkpoint,
//   - a proof document (GET /api/v1/events/{id}/proof),
//   - an account statement (GET /api/v1/accounts/{id}/statement).
//
// It is a second, independent implementation of docs/formats/evidence-v1.md (canonical JSON,
// event hash, leaves, the RFC 6962 Merkle tree and RFC 9162 inclusion proofs, Ed25519-signed
// checkpoints and statements) and shares no code with Chronicle: copy this one file to any machine
// and run
//
//   node chronicle-verify.mjs <file> [--public-key <file.jwk|file.pem>] [--json]
//
// Pass the public key you obtained from Chronicle yourself (GET /api/v1/checkpoints/public-key),
// over a channel you trust. Documents embed a copy for convenience, but a forger can embed their
// own: without --public-key the verifier uses that copy and says so.
//
// Exit code: 0 valid, 1 invalid, 2 usage, I/O or parse error. The module also exports its checks.

import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

export const CHECKPOINT_FORMAT = 'chronicle.checkpoint.v1';
export const PROOF_FORMAT = 'chronicle.proof.v1';
export const STATEMENT_FORMAT = 'chronicle.statement.v1';
/** `prevHash` of a stream's first event and `previousHash` of checkpoint 1. */
export const ZERO_HASH = '0'.repeat(64);
const PUBLIC_KEY_ENDPOINT = 'GET /api/v1/checkpoints/public-key';

export const DOCUMENT_KEY_WARNING =
  'the public key was taken from the document itself (no --public-key given). That only shows ' +
  "the document is consistent with itself: a forger can embed their own key. Obtain Chronicle's " +
  `public key independently (${PUBLIC_KEY_ENDPOINT}, over a channel you trust) and pass it with ` +
  '--public-key.';

export const USAGE = `Usage: node chronicle-verify.mjs <file> [--public-key <file.jwk|file.pem>] [--json]

Verifies a Chronicle evidence document offline (docs/formats/evidence-v1.md). The kind of <file> is
detected from its content:
  checkpoints.jsonl   one signed checkpoint per line (needs --public-key)
  checkpoint          {"checkpoint", "hash", "signature"} (needs --public-key)
  proof               {"format": "chronicle.proof.v1", ...}
  statement           {"statement", "signature"}

  --public-key <file>  Chronicle's public key: a JWK (as served by ${PUBLIC_KEY_ENDPOINT}),
                       a PEM "PUBLIC KEY", or the 32-byte raw key in hex. Without it, proofs and
                       statements are checked against the key they embed, which proves much less.
  --json               print one JSON object {valid, kind, verdict, problems, warnings, summary}

Exit code: 0 valid, 1 invalid, 2 usage, I/O or parse error.
`;

// ---------------------------------------------------------------------------------------------
// Small helpers

/** @param {unknown} value @returns {value is Record<string, any>} */
function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HEX64 = /^[0-9a-f]{64}$/;
const DIGITS = /^(0|[1-9][0-9]*)$/;
const SIGNED_DIGITS = /^(0|-?[1-9][0-9]*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INSTANT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{6})Z$/;

/** @param {unknown} value */
const isHex64 = (value) => typeof value === 'string' && HEX64.test(value);
/** @param {unknown} value */
const isDigits = (value) => typeof value === 'string' && DIGITS.test(value);
/** @param {unknown} value */
const isPositiveInteger = (value) =>
  Number.isSafeInteger(value) && /** @type {number} */ (value) >= 1;

/** A value for a message: strings quoted, everything else as JSON. @param {unknown} value */
function show(value) {
  if (value === undefined) return 'missing';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** A hash shortened for messages: 1234abcd…9f0e. @param {unknown} hash */
function short(hash) {
  return typeof hash === 'string' && hash.length > 16
    ? `${hash.slice(0, 8)}…${hash.slice(-4)}`
    : show(hash);
}

/** @param {number} count @param {string} one @param {string} [many] */
function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/** "3–5, 7" for [3, 4, 5, 7]. @param {number[]} numbers */
export function formatNumbers(numbers) {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  /** @type {string[]} */
  const runs = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === /** @type {number} */ (sorted[j]) + 1) j += 1;
    const first = sorted[i];
    const last = sorted[j];
    runs.push(first === last ? `${first}` : j === i + 1 ? `${first}, ${last}` : `${first}–${last}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** "checkpoint 3" or "checkpoints 3–7". @param {number[]} numbers */
function checkpointsPhrase(numbers) {
  const unique = [...new Set(numbers)];
  return `${unique.length === 1 ? 'checkpoint' : 'checkpoints'} ${formatNumbers(unique)}`;
}

/** Minor units as a decimal amount: 25000 with exponent 2 is 250.00. @param {string} minor @param {unknown} exponent */
function formatMinor(minor, exponent) {
  if (typeof minor !== 'string' || !SIGNED_DIGITS.test(minor)) return show(minor);
  if (!Number.isSafeInteger(exponent) || /** @type {number} */ (exponent) <= 0) return minor;
  const places = /** @type {number} */ (exponent);
  const negative = minor.startsWith('-');
  const digits = (negative ? minor.slice(1) : minor).padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * An instant of the form 2026-03-15T14:47:00.000000Z as microseconds since 1970, or null when the
 * text is not exactly that form or not a real date.
 * @param {unknown} text
 * @returns {bigint | null}
 */
export function instantMicros(text) {
  if (typeof text !== 'string') return null;
  const match = INSTANT.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const ms = Date.UTC(
    /** @type {number} */ (year),
    /** @type {number} */ (month) - 1,
    day,
    hour,
    minute,
    second,
  );
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== /** @type {number} */ (month) - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  )
    return null;
  return BigInt(ms) * 1000n + BigInt(/** @type {string} */ (match[7]));
}

/** Strict standard base64 (with padding) to bytes, or null. @param {unknown} text */
function decodeBase64(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !BASE64.test(text)) return null;
  return Buffer.from(text, 'base64');
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON (spec §1): RFC 8785 for the values Chronicle uses

/** Orders strings by UTF-16 code units, as RFC 8785 sorts object members. @param {string} a @param {string} b */
function compareUtf16(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical JSON: members sorted by key (UTF-16 code units), no whitespace, strings escaped as
 * ECMAScript's JSON.stringify does, numbers only as integers within ±(2^53 − 1).
 * @param {unknown} value
 * @returns {string}
 */
export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value))
        throw new TypeError(`${value} is not an integer within ±(2^53 − 1)`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
      const record = /** @type {Record<string, unknown>} */ (value);
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort(compareUtf16)
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
}

/** @param {string | Uint8Array} data */
export function sha256Hex(data) {
  return createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Events (spec §2) and leaves (§3)

const HASHED_EVENT_FIELDS = /** @type {const} */ ([
  'data',
  'eventId',
  'metadata',
  'occurredAt',
  'prevHash',
  'schemaVersion',
  'streamId',
  'streamVersion',
  'type',
]);

/**
 * The hash of an event recomputed from its contents (its `hash` member is ignored):
 * hex(SHA-256(UTF-8(canonical JSON of its nine hashed members))).
 * @param {Record<string, unknown>} event
 */
export function eventHash(event) {
  /** @type {Record<string, unknown>} */
  const hashed = {};
  for (const field of HASHED_EVENT_FIELDS) {
    if (event[field] === undefined) throw new TypeError(`the event has no ${field}`);
    hashed[field] = event[field];
  }
  return sha256Hex(canonicalJson(hashed));
}

/**
 * The bytes of a leaf: UTF-8 canonical JSON of {eventHash, globalPosition, recordedAt}.
 * @param {{eventHash: string, globalPosition: string, recordedAt: string}} leaf
 */
export function leafBytes(leaf) {
  return Buffer.from(
    canonicalJson({
      eventHash: leaf.eventHash,
      globalPosition: leaf.globalPosition,
      recordedAt: leaf.recordedAt,
    }),
    'utf8',
  );
}

/**
 * An event's leaf, from its stated `hash` (whether that hash matches the contents is a separate
 * check), `globalPosition` and `recordedAt`.
 * @param {Record<string, any>} event
 */
export function leafOfEvent(event) {
  return {
    eventHash: event.hash,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt,
  };
}

/** Why an event is malformed (spec §2), one message per member; empty when it is well formed. @param {unknown} event */
function eventShapeProblems(event) {
  if (!isObject(event)) return ['it has no event object'];
  /** @type {string[]} */
  const problems = [];
  const need = (/** @type {boolean} */ ok, /** @type {string} */ message) => {
    if (!ok) problems.push(message);
  };
  need(
    typeof event.eventId === 'string' && event.eventId !== '',
    `eventId ${show(event.eventId)} is not a string`,
  );
  need(
    typeof event.streamId === 'string' && event.streamId !== '',
    `streamId ${show(event.streamId)} is not a string`,
  );
  need(
    isPositiveInteger(event.streamVersion),
    `streamVersion ${show(event.streamVersion)} is not an integer ≥ 1`,
  );
  need(
    typeof event.type === 'string' && event.type !== '',
    `type ${show(event.type)} is not a string`,
  );
  need(
    Number.isSafeInteger(event.schemaVersion),
    `schemaVersion ${show(event.schemaVersion)} is not an integer`,
  );
  need(isObject(event.data), `data ${show(event.data)} is not a JSON object`);
  need(isObject(event.metadata), `metadata ${show(event.metadata)} is not a JSON object`);
  need(
    instantMicros(event.occurredAt) !== null,
    `occurredAt ${show(event.occurredAt)} is not an instant like 2026-03-15T14:47:00.000000Z`,
  );
  need(isHex64(event.prevHash), `prevHash ${show(event.prevHash)} is not 64 lowercase hex digits`);
  need(isHex64(event.hash), `hash ${show(event.hash)} is not 64 lowercase hex digits`);
  need(
    isDigits(event.globalPosition),
    `globalPosition ${show(event.globalPosition)} is not a string of decimal digits`,
  );
  need(
    instantMicros(event.recordedAt) !== null,
    `recordedAt ${show(event.recordedAt)} is not an instant like 2026-03-15T14:47:00.000000Z`,
  );
  return problems;
}

/** Why the event's recomputed hash is not its stated one, or null when it is. @param {Record<string, any>} event */
function eventHashProblem(event) {
  let recomputed;
  try {
    recomputed = eventHash(event);
  } catch (error) {
    return `its hash cannot be recomputed: ${errorText(error)}`;
  }
  if (recomputed === event.hash) return null;
  return `its contents hash to ${recomputed}, not to its stated hash ${show(event.hash)}: the event was altered`;
}

const CREDIT_TYPES = new Set(['funds_deposited', 'transfer_completed', 'charge_reversed']);
const DEBIT_TYPES = new Set(['funds_withdrawn', 'transfer_initiated', 'held_funds_captured']);

/**
 * The balance effect of an event on its own account (spec §7): + amountMinor for credits,
 * − amountMinor for debits, 0 for every other type. Throws when a credit or debit has no
 * `data.amountMinor` of decimal digits.
 * @param {{type: string, data: Record<string, unknown>}} event
 * @returns {bigint}
 */
export function balanceEffect(event) {
  const credit = CREDIT_TYPES.has(event.type);
  if (!credit && !DEBIT_TYPES.has(event.type)) return 0n;
  const amount = isObject(event.data) ? event.data.amountMinor : undefined;
  if (!isDigits(amount))
    throw new TypeError(
      `a ${event.type} needs data.amountMinor as decimal digits, not ${show(amount)}`,
    );
  const value = BigInt(/** @type {string} */ (amount));
  return credit ? value : -value;
}

// ---------------------------------------------------------------------------------------------
// The Merkle tree (spec §4): RFC 6962 §2.1, inclusion proofs verified as RFC 9162 §2.1.3.2

/** @param {string | Uint8Array} value @returns {Buffer} */
function toBytes(value) {
  return typeof value === 'string' ? Buffer.from(value, 'hex') : Buffer.from(value);
}

/** SHA-256(0x00 || leaf). @param {Uint8Array} leaf */
export function leafHash(leaf) {
  return createHash('sha256').update(Buffer.of(0x00)).update(leaf).digest();
}

/** SHA-256(0x01 || left || right). @param {string | Uint8Array} left @param {string | Uint8Array} right */
export function nodeHash(left, right) {
  return createHash('sha256')
    .update(Buffer.of(0x01))
    .update(toBytes(left))
    .update(toBytes(right))
    .digest();
}

/** The largest power of two strictly smaller than n (n ≥ 2). @param {number} n */
function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The Merkle tree head (MTH) over the given leaf hashes (Buffers or hex), in order.
 * @param {ReadonlyArray<string | Uint8Array>} leafHashes
 * @returns {Buffer}
 */
export function merkleRoot(leafHashes) {
  const leaves = leafHashes.map(toBytes);
  if (leaves.length === 0) return createHash('sha256').digest();
  /** @param {number} from @param {number} to @returns {Buffer} */
  const mth = (from, to) => {
    if (to - from === 1) return /** @type {Buffer} */ (leaves[from]);
    const k = largestPowerOfTwoBelow(to - from);
    return nodeHash(mth(from, from + k), mth(from + k, to));
  };
  return mth(0, leaves.length);
}

/**
 * The audit path of leaf `index` (RFC 6962 §2.1.1): sibling subtree heads, nearest first.
 * @param {ReadonlyArray<string | Uint8Array>} leafHashes
 * @param {number} index
 * @returns {Buffer[]}
 */
export function inclusionPath(leafHashes, index) {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leafHashes.length)
    throw new RangeError(`leaf ${index} is not in a tree of ${leafHashes.length}`);
  /** @param {number} m @param {ReadonlyArray<string | Uint8Array>} leaves @returns {Buffer[]} */
  const path = (m, leaves) => {
    if (leaves.length <= 1) return [];
    const k = largestPowerOfTwoBelow(leaves.length);
    return m < k
      ? [...path(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))]
      : [...path(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
  };
  return path(index, leafHashes);
}

/**
 * Whether `path` proves that the leaf with hash `leaf` is number `index` of a tree of `size`
 * leaves whose head is `root` (RFC 9162 §2.1.3.2). Hashes may be Buffers or hex.
 * @param {string | Uint8Array} leaf
 * @param {number} index
 * @param {number} size
 * @param {ReadonlyArray<string | Uint8Array>} path
 * @param {string | Uint8Array} root
 */
export function verifyInclusion(leaf, index, size, path, root) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size)) return false;
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = toBytes(leaf);
  for (const node of path) {
    const p = toBytes(node);
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        do {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        } while (fn % 2 === 0 && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(toBytes(root));
}

// ---------------------------------------------------------------------------------------------
// Keys and checkpoints (spec §5)

/**
 * A public key from a JWK {kty: "OKP", crv: "Ed25519", x}.
 * @param {unknown} jwk
 * @returns {import('node:crypto').KeyObject}
 */
export function publicKeyFromJwk(jwk) {
  if (!isObject(jwk) || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new TypeError('not an Ed25519 public JWK {"kty": "OKP", "crv": "Ed25519", "x": …}');
  if (!/^[A-Za-z0-9_-]{43}$/.test(jwk.x))
    throw new TypeError('the JWK\'s "x" is not 32 bytes of unpadded base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
}

/**
 * A public key from the text of a key file: a JWK (or a JSON object holding one under `jwk`,
 * `publicKey` or `keys`), a PEM public key, or the 32 raw bytes in hex.
 * @param {string} text
 * @returns {import('node:crypto').KeyObject}
 */
export function parsePublicKey(text) {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  /** @type {import('node:crypto').KeyObject} */
  let key;
  if (trimmed.startsWith('{')) {
    const value = JSON.parse(trimmed);
    const candidates = [
      value,
      value?.jwk,
      value?.publicKey,
      ...(Array.isArray(value?.keys) ? value.keys : []),
    ];
    const jwk = candidates.find((candidate) => isObject(candidate) && candidate.kty === 'OKP');
    if (jwk) key = publicKeyFromJwk(jwk);
    else if (typeof value?.pem === 'string') key = createPublicKey(value.pem);
    else throw new TypeError('the JSON holds no Ed25519 JWK');
  } else if (trimmed.includes('-----BEGIN')) {
    key = createPublicKey(trimmed);
  } else if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    key = publicKeyFromJwk({
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(trimmed, 'hex').toString('base64url'),
    });
  } else {
    throw new TypeError('expected a JWK, a PEM public key or 64 hex digits');
  }
  return assertEd25519(key);
}

/** @param {import('node:crypto').KeyObject} key */
function assertEd25519(key) {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new TypeError(`an Ed25519 key is needed, not ${key.asymmetricKeyType ?? key.type}`);
  return key.type === 'private' ? createPublicKey(key) : key;
}

/**
 * A public key from whatever a caller passes: a KeyObject, a JWK object, or key file text.
 * @param {unknown} value
 * @returns {import('node:crypto').KeyObject}
 */
export function toPublicKey(value) {
  if (typeof value === 'string') return parsePublicKey(value);
  if (isObject(value) && typeof value.export === 'function' && 'asymmetricKeyType' in value)
    return assertEd25519(
      /** @type {import('node:crypto').KeyObject} */ (/** @type {unknown} */ (value)),
    );
  return publicKeyFromJwk(value);
}

/** The 32 raw bytes of an Ed25519 public key. @param {import('node:crypto').KeyObject} key */
export function rawPublicKey(key) {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(/** @type {string} */ (jwk.x), 'base64url');
}

/** The key id: the first 16 hex digits of SHA-256 over the raw key. @param {import('node:crypto').KeyObject} key */
export function keyIdOf(key) {
  return sha256Hex(rawPublicKey(key)).slice(0, 16);
}

/** Whether base64 `signature` is a valid Ed25519 signature of `bytes`. @param {Uint8Array} bytes @param {unknown} signature @param {import('node:crypto').KeyObject} key */
export function signatureHolds(bytes, signature, key) {
  const decoded = decodeBase64(signature);
  if (!decoded || decoded.length !== 64) return false;
  try {
    return verifySignature(null, bytes, key, decoded);
  } catch {
    return false;
  }
}

/** The bytes hashed and signed: UTF-8 canonical JSON of the checkpoint body. @param {unknown} body */
export function checkpointBytes(body) {
  return Buffer.from(canonicalJson(body), 'utf8');
}

/** @param {unknown} body */
export function checkpointHash(body) {
  return sha256Hex(checkpointBytes(body));
}

/**
 * Every reason a signed checkpoint cannot be trusted (its format, structure, hash, key id and
 * signature); empty when it is valid. Messages do not name the checkpoint: callers prefix them.
 * @param {unknown} signed
 * @param {import('node:crypto').KeyObject} publicKey
 * @returns {string[]}
 */
export function checkCheckpoint(signed, publicKey) {
  if (!isObject(signed) || !isObject(signed.checkpoint))
    return ['it is not a signed checkpoint {"checkpoint", "hash", "signature"}'];
  const body = signed.checkpoint;
  /** @type {string[]} */
  const problems = [];
  const need = (/** @type {boolean} */ ok, /** @type {string} */ message) => {
    if (!ok) problems.push(message);
  };
  need(
    body.format === CHECKPOINT_FORMAT,
    `its format is ${show(body.format)}, not "${CHECKPOINT_FORMAT}"`,
  );
  need(isPositiveInteger(body.number), `its number ${show(body.number)} is not an integer ≥ 1`);
  need(
    isHex64(body.previousHash),
    `its previousHash ${show(body.previousHash)} is not 64 lowercase hex digits`,
  );
  if (body.number === 1 && isHex64(body.previousHash))
    need(
      body.previousHash === ZERO_HASH,
      'it is checkpoint 1, but its previousHash is not 64 zeros',
    );
  need(
    isObject(body.through) &&
      isDigits(body.through.transactionId) &&
      isDigits(body.through.globalPosition),
    `its through ${show(body.through)} is not {"transactionId": "<digits>", "globalPosition": "<digits>"}`,
  );
  need(
    isPositiveInteger(body.eventCount),
    `its eventCount ${show(body.eventCount)} is not an integer ≥ 1`,
  );
  need(
    isHex64(body.merkleRoot),
    `its merkleRoot ${show(body.merkleRoot)} is not 64 lowercase hex digits`,
  );
  if (!Array.isArray(body.streamHeads)) problems.push('its streamHeads is not a list');
  else {
    body.streamHeads.forEach((head, i) => {
      need(
        isObject(head) &&
          typeof head.streamId === 'string' &&
          isPositiveInteger(head.version) &&
          isHex64(head.hash),
        `its streamHeads[${i}] ${show(head)} is not {"streamId", "version", "hash"}`,
      );
      const previous = body.streamHeads[i - 1];
      if (i > 0 && isObject(head) && isObject(previous))
        need(
          typeof head.streamId === 'string' &&
            typeof previous.streamId === 'string' &&
            compareUtf16(previous.streamId, head.streamId) < 0,
          `its streamHeads are not sorted by streamId without repeats (${show(previous.streamId)} then ${show(head.streamId)})`,
        );
    });
  }
  need(
    instantMicros(body.sealedAt) !== null,
    `its sealedAt ${show(body.sealedAt)} is not an instant like 2026-03-15T14:47:00.000000Z`,
  );
  let bytes;
  try {
    bytes = checkpointBytes(body);
  } catch (error) {
    problems.push(`its body cannot be encoded as canonical JSON: ${errorText(error)}`);
    return problems;
  }
  const hash = sha256Hex(bytes);
  if (hash !== signed.hash)
    problems.push(
      `its hash does not match its contents: the body hashes to ${hash}, the document says ${show(signed.hash)} (the checkpoint was altered)`,
    );
  const keyId = keyIdOf(publicKey);
  need(
    body.keyId === keyId,
    `it names signing key ${show(body.keyId)}, not the verifying key ${keyId}`,
  );
  need(
    signatureHolds(bytes, signed.signature, publicKey),
    `its signature does not verify with key ${keyId}: the body was altered after signing, or another key signed it`,
  );
  return problems;
}

/** "checkpoint 3" or "line 4", for messages about an unparsed or odd entry. @param {unknown} signed */
function checkpointName(signed) {
  const number =
    isObject(signed) && isObject(signed.checkpoint) ? signed.checkpoint.number : undefined;
  return isPositiveInteger(number) ? `checkpoint ${number}` : 'a checkpoint without a valid number';
}

// ---------------------------------------------------------------------------------------------
// Results

/**
 * @typedef {object} VerificationResult
 * @property {boolean} valid
 * @property {'checkpoints' | 'checkpoint' | 'proof' | 'statement'} kind
 * @property {string} verdict the final line, starting with "VERDICT: VALID" or "VERDICT: INVALID"
 * @property {string[]} problems every reason the document is invalid
 * @property {string[]} warnings what the auditor should know but does not invalidate it
 * @property {{check: string, ok: boolean}[]} checks
 * @property {Record<string, unknown>} summary
 */

class Findings {
  /** @param {VerificationResult['kind']} kind @param {[string, string][]} checks */
  constructor(kind, checks) {
    this.kind = kind;
    /** @type {string[]} */
    this.problems = [];
    /** @type {string[]} */
    this.warnings = [];
    /** @type {Map<string, {label: string, failures: number}>} */
    this.checks = new Map(checks.map(([id, label]) => [id, { label, failures: 0 }]));
    /** @type {Record<string, unknown>} */
    this.summary = {};
    /** @type {import('node:crypto').KeyObject | null} */
    this.key = null;
  }

  /** @param {string} check @param {string} message */
  fail(check, message) {
    this.problems.push(message);
    const entry = this.checks.get(check);
    if (entry) entry.failures += 1;
  }

  /** @param {string} message */
  warn(message) {
    this.warnings.push(message);
  }

  /**
   * Takes the key to verify with: the given one, or else the document's own copy (with a
   * warning). Records it in the summary.
   * @param {unknown} given
   * @param {unknown} embedded
   * @param {{required: boolean, embeddedIsSigned: boolean}} options
   */
  useKey(given, embedded, options) {
    /** @type {import('node:crypto').KeyObject | null} */
    let embeddedKey = null;
    let embeddedProblem = null;
    if (embedded !== undefined && embedded !== null) {
      try {
        embeddedKey = publicKeyFromJwk(embedded);
        if (
          isObject(embedded) &&
          embedded.kid !== undefined &&
          embedded.kid !== keyIdOf(embeddedKey)
        )
          embeddedProblem = `the document's publicKey says kid ${show(embedded.kid)}, but that key's id is ${keyIdOf(embeddedKey)}`;
      } catch (error) {
        embeddedProblem = `the document's publicKey is unusable: ${errorText(error)}`;
      }
    }
    if (given !== undefined && given !== null) {
      this.key = toPublicKey(given);
      this.summary.keySource = 'given';
      if (embeddedKey && !rawPublicKey(embeddedKey).equals(rawPublicKey(this.key))) {
        const message = `the document embeds public key ${keyIdOf(embeddedKey)}, not the given key ${keyIdOf(this.key)}`;
        if (options.embeddedIsSigned) this.fail('key', message);
        else this.warn(message);
      }
    } else if (embeddedKey) {
      this.key = embeddedKey;
      this.summary.keySource = 'document';
      this.warn(DOCUMENT_KEY_WARNING);
    } else if (options.required) {
      this.fail('key', 'no public key: none was given and the document embeds no usable one');
    }
    if (embeddedProblem) {
      if (options.embeddedIsSigned) this.fail('key', embeddedProblem);
      else this.warn(embeddedProblem);
    }
    if (this.key) this.summary.keyId = keyIdOf(this.key);
    return this.key;
  }

  /** @param {(valid: boolean) => string} verdict @returns {VerificationResult} */
  finish(verdict) {
    const valid = this.problems.length === 0;
    return {
      valid,
      kind: this.kind,
      verdict: valid
        ? `VERDICT: VALID — ${verdict(true)}`
        : `VERDICT: INVALID — ${plural(this.problems.length, 'problem')} found${verdict(false) ? `: ${verdict(false)}` : ''}`,
      problems: this.problems,
      warnings: this.warnings,
      checks: [...this.checks.values()].map(({ label, failures }) => ({
        check: label,
        ok: failures === 0,
      })),
      summary: this.summary,
    };
  }
}

/** @param {unknown} error */
function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}

/** ", checked only against the key the document embeds" when that is so. @param {Findings} findings */
function keyCaveat(findings) {
  return findings.summary.keySource === 'document'
    ? ' (checked only against the key embedded in the document, not an independently obtained key)'
    : '';
}

// ---------------------------------------------------------------------------------------------
// Checkpoint files and single checkpoints (spec §5)

/**
 * Splits the text of a checkpoints.jsonl into entries, one per non-empty line.
 * @param {string} text
 * @returns {{entries: {where: string, value?: unknown, error?: string}[], truncatedLine: number | null}}
 */
function parseCheckpointLines(text) {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const unterminated = lines[lines.length - 1] !== '';
  /** @type {{where: string, value?: unknown, error?: string}[]} */
  const entries = [];
  let truncatedLine = null;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    try {
      entries.push({ where, value: JSON.parse(line) });
    } catch (error) {
      // The file sink appends and fsyncs; a crash can leave its last line cut short.
      if (unterminated && index === lines.length - 1) truncatedLine = index + 1;
      else entries.push({ where, error: `it is not JSON (${errorText(error)})` });
    }
  });
  return { entries, truncatedLine };
}

/**
 * Verifies a sequence of signed checkpoints (spec §5): each one valid, numbers consecutive, each
 * `previousHash` the hash of the one before it, and 64 zeros for checkpoint 1.
 * @param {string | unknown[]} input the text of a checkpoints.jsonl, or the parsed checkpoints
 * @param {unknown} publicKey a KeyObject, JWK or key file text: required
 * @returns {VerificationResult}
 */
export function verifyCheckpoints(input, publicKey) {
  const findings = new Findings('checkpoints', [
    ['key', 'public key'],
    ['format', 'one signed checkpoint per line'],
    ['checkpoints', 'every checkpoint: format, hash, key id and Ed25519 signature'],
    ['sequence', 'numbers consecutive, each previousHash the hash of the checkpoint before'],
  ]);
  const key = findings.useKey(publicKey, undefined, { required: true, embeddedIsSigned: false });
  const { entries, truncatedLine } =
    typeof input === 'string'
      ? parseCheckpointLines(input)
      : {
          entries: input.map((value, i) => ({ where: `entry ${i + 1}`, value })),
          truncatedLine: null,
        };
  if (truncatedLine !== null)
    findings.warn(
      `line ${truncatedLine} is cut short (no newline, not JSON) and was ignored: a write interrupted mid-line`,
    );
  if (entries.length === 0) findings.fail('format', 'the file holds no checkpoint');

  /** @type {{number: number, hash: unknown, where: string} | null} */
  let previous = null;
  /** @type {number[]} */
  const numbers = [];
  let events = 0;
  /** @type {Record<string, any> | null} */
  let last = null;
  for (const entry of entries) {
    if (entry.error !== undefined) {
      findings.fail('format', `${entry.where}: ${entry.error}`);
      continue;
    }
    const signed = entry.value;
    if (!isObject(signed) || !isObject(signed.checkpoint)) {
      findings.fail(
        'format',
        `${entry.where}: it is not a signed checkpoint {"checkpoint", "hash", "signature"}`,
      );
      previous = null;
      continue;
    }
    const name = `${entry.where} (${checkpointName(signed)})`;
    if (key)
      for (const problem of checkCheckpoint(signed, key))
        findings.fail('checkpoints', `${name}: ${problem}`);
    if (!isPositiveInteger(signed.checkpoint.number)) {
      previous = null;
      continue;
    }
    const body = signed.checkpoint;
    const number = /** @type {number} */ (body.number);
    numbers.push(number);
    if (isPositiveInteger(body.eventCount)) events += body.eventCount;
    last = body;
    if (previous === null) {
      if (number !== 1 && numbers.length === 1)
        findings.warn(
          `the file starts at checkpoint ${number}: its link to checkpoint ${number - 1} cannot be checked here`,
        );
    } else if (number !== previous.number + 1) {
      const missingFirst = previous.number + 1;
      const missingLast = number - 1;
      findings.fail(
        'sequence',
        number <= previous.number
          ? `${name}: checkpoint ${number} follows checkpoint ${previous.number} (${previous.where}): numbers must go up by one`
          : `${name}: checkpoint ${number} follows checkpoint ${previous.number} (${previous.where}): ${
              missingFirst === missingLast
                ? `checkpoint ${missingFirst} is missing`
                : `checkpoints ${missingFirst}–${missingLast} are missing`
            }`,
      );
    } else if (body.previousHash !== previous.hash) {
      findings.fail(
        'sequence',
        `${name}: its previousHash ${short(body.previousHash)} is not the hash of checkpoint ${previous.number} (${short(previous.hash)}, ${previous.where})`,
      );
    }
    previous = { number, hash: signed.hash, where: entry.where };
  }

  Object.assign(findings.summary, {
    checkpoints: numbers.length,
    numbers: numbers.length > 0 ? formatNumbers(numbers) : '',
    first: numbers[0] ?? null,
    last: numbers[numbers.length - 1] ?? null,
    events,
    lastSealedAt: last?.sealedAt ?? null,
    through: last?.through ?? null,
  });
  return findings.finish((valid) =>
    valid
      ? `${plural(numbers.length, 'checkpoint')} (${formatNumbers(numbers)}) valid and chained, sealing ${plural(events, 'event')}`
      : '',
  );
}

/**
 * Verifies one signed checkpoint document {checkpoint, hash, signature} (spec §5).
 * @param {unknown} signed
 * @param {unknown} publicKey a KeyObject, JWK or key file text: required
 * @returns {VerificationResult}
 */
export function verifyCheckpoint(signed, publicKey) {
  const findings = new Findings('checkpoint', [
    ['key', 'public key'],
    ['checkpoint', 'format, hash, key id and Ed25519 signature'],
  ]);
  const key = findings.useKey(publicKey, undefined, { required: true, embeddedIsSigned: false });
  const name = checkpointName(signed);
  if (key)
    for (const problem of checkCheckpoint(signed, key))
      findings.fail('checkpoint', `${name}: ${problem}`);
  const body = isObject(signed) && isObject(signed.checkpoint) ? signed.checkpoint : {};
  Object.assign(findings.summary, {
    number: body.number ?? null,
    eventCount: body.eventCount ?? null,
    sealedAt: body.sealedAt ?? null,
    through: body.through ?? null,
    hash: isObject(signed) ? (signed.hash ?? null) : null,
  });
  return findings.finish((valid) =>
    valid
      ? `${name} valid: sealing ${plural(Number(body.eventCount), 'event')}, sealed at ${body.sealedAt}`
      : '',
  );
}

// ---------------------------------------------------------------------------------------------
// Inclusion of an event in a checkpoint (spec §6)

/**
 * Every reason `proof` does not show that `event` is in checkpoint `signed`; empty when it does.
 * The tree size comes from the signed checkpoint, never from the proof.
 * @param {Record<string, any>} event
 * @param {unknown} proof
 * @param {Record<string, any>} signed
 * @returns {string[]}
 */
export function checkInclusion(event, proof, signed) {
  if (!isObject(proof)) return [`its proof ${show(proof)} is not an object`];
  const body = isObject(signed.checkpoint) ? signed.checkpoint : {};
  const number = body.number;
  const size = body.eventCount;
  /** @type {string[]} */
  const problems = [];
  if (proof.checkpoint !== number)
    problems.push(
      `its proof names checkpoint ${show(proof.checkpoint)}, but was checked against checkpoint ${show(number)}`,
    );
  if (!isPositiveInteger(size) || !isHex64(body.merkleRoot)) {
    problems.push(`checkpoint ${show(number)} has no usable eventCount and merkleRoot`);
    return problems;
  }
  if (proof.treeSize !== size)
    problems.push(
      `its proof says the tree has ${show(proof.treeSize)} leaves, but checkpoint ${number} has eventCount ${size}`,
    );
  const index = proof.leafIndex;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    problems.push(
      `its leafIndex ${show(index)} is not a leaf of checkpoint ${number}'s ${size} leaves`,
    );
    return problems;
  }
  if (!Array.isArray(proof.path) || !proof.path.every(isHex64)) {
    problems.push('its proof path is not a list of 64-digit lowercase hex hashes');
    return problems;
  }
  let leaf;
  try {
    leaf = leafHash(leafBytes(leafOfEvent(event)));
  } catch (error) {
    problems.push(`its leaf cannot be encoded: ${errorText(error)}`);
    return problems;
  }
  if (!verifyInclusion(leaf, index, size, proof.path, body.merkleRoot)) {
    problems.push(
      `its inclusion proof (leaf ${index} of ${size}, ${plural(proof.path.length, 'path hash', 'path hashes')}) does not lead to checkpoint ${number}'s merkleRoot ${short(body.merkleRoot)}: its hash, globalPosition or recordedAt, or the proof, was altered`,
    );
    return problems;
  }
  // A checkpoint names the head of every stream it holds an event of.
  const heads = Array.isArray(body.streamHeads) ? body.streamHeads : [];
  const head = heads.find(
    (candidate) => isObject(candidate) && candidate.streamId === event.streamId,
  );
  if (!head)
    problems.push(
      `checkpoint ${number} holds it, yet has no stream head for ${show(event.streamId)}`,
    );
  else if (head.version === event.streamVersion && head.hash !== event.hash)
    problems.push(
      `checkpoint ${number}'s stream head for ${event.streamId} at version ${head.version} is ${short(head.hash)}, not this event's hash ${short(event.hash)}`,
    );
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Proof documents (spec §6)

/**
 * Verifies a proof document: the event's hash, the signed checkpoint, and the inclusion proof.
 * @param {unknown} doc
 * @param {unknown} [publicKey] a KeyObject, JWK or key file text; without it the document's own
 *   `publicKey` is used, with a warning
 * @returns {VerificationResult}
 */
export function verifyProof(doc, publicKey) {
  const findings = new Findings('proof', [
    ['key', 'public key'],
    ['format', 'document structure'],
    ['hash', 'event hash recomputed from its contents'],
    ['checkpoint', 'checkpoint: format, hash, key id and Ed25519 signature'],
    ['proof', "inclusion proof (RFC 9162) against the checkpoint's merkleRoot"],
  ]);
  if (!isObject(doc)) {
    findings.fail('format', 'the document is not a JSON object');
    return findings.finish(() => '');
  }
  const sealed = doc.status === 'sealed';
  // Nothing of a document not yet sealed is signed: it needs no key.
  const key = sealed
    ? findings.useKey(publicKey, doc.publicKey, { required: true, embeddedIsSigned: false })
    : null;
  if (doc.format !== PROOF_FORMAT)
    findings.fail('format', `its format is ${show(doc.format)}, not "${PROOF_FORMAT}"`);
  const event = isObject(doc.event) ? doc.event : null;
  const name = event
    ? `event ${show(event.eventId)} (${event.streamId} version ${event.streamVersion})`
    : 'the event';
  for (const problem of eventShapeProblems(doc.event))
    findings.fail('format', `${name}: ${problem}`);
  if (event) {
    const problem = eventHashProblem(event);
    if (problem) findings.fail('hash', `${name}: ${problem}`);
  }
  const summary = findings.summary;
  Object.assign(summary, {
    eventId: event?.eventId ?? null,
    streamId: event?.streamId ?? null,
    streamVersion: event?.streamVersion ?? null,
    status: doc.status ?? null,
    checkpoint: null,
    leafIndex: null,
    treeSize: null,
    sealedAt: null,
  });
  if (doc.status === 'not_yet_sealed') {
    if (doc.proof !== null && doc.proof !== undefined)
      findings.fail('format', 'its status is not_yet_sealed, yet it carries a proof');
    if (doc.checkpoint !== null && doc.checkpoint !== undefined)
      findings.fail('format', 'its status is not_yet_sealed, yet it carries a checkpoint');
    findings.warn(
      'the event is not yet sealed: it is newer than the last checkpoint, so nothing proves it yet',
    );
    return findings.finish((valid) =>
      valid
        ? `${name}: its hash holds, but it is not yet sealed, so nothing proves it yet${keyCaveat(findings)}`
        : '',
    );
  }
  if (!sealed) {
    findings.fail('format', `its status is ${show(doc.status)}, not "sealed" or "not_yet_sealed"`);
    return findings.finish(() => '');
  }
  const signed = doc.checkpoint;
  if (!isObject(signed) || !isObject(signed.checkpoint)) {
    findings.fail('format', 'it is sealed but carries no signed checkpoint');
    return findings.finish(() => '');
  }
  const checkpointLabel = checkpointName(signed);
  if (key)
    for (const problem of checkCheckpoint(signed, key))
      findings.fail('checkpoint', `${checkpointLabel}: ${problem}`);
  Object.assign(summary, {
    checkpoint: signed.checkpoint.number ?? null,
    sealedAt: signed.checkpoint.sealedAt ?? null,
    treeSize: signed.checkpoint.eventCount ?? null,
    leafIndex: isObject(doc.proof) ? (doc.proof.leafIndex ?? null) : null,
  });
  if (!isObject(doc.proof)) findings.fail('format', 'it is sealed but carries no proof');
  else if (event)
    for (const problem of checkInclusion(event, doc.proof, signed))
      findings.fail('proof', `${name}: ${problem}`);
  return findings.finish((valid) =>
    valid
      ? `${name} is proven in ${checkpointLabel} (leaf ${summary.leafIndex} of ${summary.treeSize})${keyCaveat(findings)}`
      : '',
  );
}

// ---------------------------------------------------------------------------------------------
// Account statements (spec §7)

const LINE_SIGNED = /** @param {unknown} value */ (value) =>
  typeof value === 'string' && SIGNED_DIGITS.test(value);

/**
 * Verifies an account statement {statement, signature}: the signature, every event's hash and
 * stream, the chain and versions, the arithmetic, the time range, and every proof against the
 * statement's checkpoints. Lines without a proof are "not yet sealed": counted, not invalid.
 * @param {unknown} doc
 * @param {unknown} [publicKey] a KeyObject, JWK or key file text; without it the statement's own
 *   `publicKey` is used, with a warning
 * @returns {VerificationResult}
 */
export function verifyStatement(doc, publicKey) {
  const findings = new Findings('statement', [
    ['key', 'public key and keyId'],
    ['format', 'document structure'],
    ['signature', 'statement signature (Ed25519 over the canonical JSON of "statement")'],
    ['hashes', 'event hashes recomputed from their contents'],
    ['account', "every event is in the account's stream"],
    ['chain', 'hash chain (prevHash) and stream versions'],
    ['arithmetic', 'amounts, balances, opening and closing balance, totals'],
    ['time', 'time range: anchor ≤ from < each line ≤ to'],
    ['checkpoints', 'checkpoints: format, hash, key id, Ed25519 signature and links'],
    ['proofs', "inclusion proofs against the checkpoints' merkleRoots"],
  ]);
  if (!isObject(doc) || !isObject(doc.statement)) {
    findings.fail('format', 'the document has no "statement" object');
    return findings.finish(() => '');
  }
  const body = doc.statement;
  const fail = findings.fail.bind(findings);
  const key = findings.useKey(publicKey, body.publicKey, {
    required: true,
    embeddedIsSigned: true,
  });

  // Structure.
  if (body.format !== STATEMENT_FORMAT)
    fail('format', `its format is ${show(body.format)}, not "${STATEMENT_FORMAT}"`);
  const account = isObject(body.account) ? body.account : {};
  if (!isObject(body.account)) fail('format', 'it has no account object');
  if (typeof account.id !== 'string' || account.id === '')
    fail('format', `account.id ${show(account.id)} is not a string`);
  if (typeof account.ownerId !== 'string')
    fail('format', `account.ownerId ${show(account.ownerId)} is not a string`);
  if (typeof account.currency !== 'string')
    fail('format', `account.currency ${show(account.currency)} is not a string`);
  if (!Number.isSafeInteger(account.currencyExponent) || account.currencyExponent < 0)
    fail(
      'format',
      `account.currencyExponent ${show(account.currencyExponent)} is not an integer ≥ 0`,
    );
  for (const member of ['from', 'to', 'generatedAt'])
    if (instantMicros(body[member]) === null)
      fail(
        'format',
        `${member} ${show(body[member])} is not an instant like 2026-03-15T14:47:00.000000Z`,
      );
  for (const member of ['openingBalanceMinor', 'closingBalanceMinor'])
    if (!LINE_SIGNED(body[member]))
      fail('format', `${member} ${show(body[member])} is not a string of decimal digits`);
  const totals = isObject(body.totals) ? body.totals : {};
  for (const member of ['creditsMinor', 'debitsMinor'])
    if (!isDigits(totals[member]))
      fail('format', `totals.${member} ${show(totals[member])} is not a string of decimal digits`);
  if (body.anchor !== null && !isObject(body.anchor))
    fail('format', `its anchor ${show(body.anchor)} is neither a line nor null`);
  if (!Array.isArray(body.lines)) fail('format', 'its lines is not a list');
  if (!Array.isArray(body.checkpoints)) fail('format', 'its checkpoints is not a list');
  if (!isObject(body.publicKey))
    fail('format', `its publicKey ${show(body.publicKey)} is not a JWK`);

  // Key and signature.
  if (key) {
    const keyId = keyIdOf(key);
    if (body.keyId !== keyId)
      fail('key', `the statement names key ${show(body.keyId)}, not the verifying key ${keyId}`);
    let bytes = null;
    try {
      bytes = Buffer.from(canonicalJson(body), 'utf8');
    } catch (error) {
      fail('signature', `the statement cannot be encoded as canonical JSON: ${errorText(error)}`);
    }
    if (bytes && !signatureHolds(bytes, doc.signature, key))
      fail(
        'signature',
        `the statement's signature does not verify with key ${keyId}: the statement was altered after signing, or another key signed it`,
      );
  }

  // The anchor and the lines, in order.
  const expectedStream = typeof account.id === 'string' ? `account-${account.id}` : null;
  const from = instantMicros(body.from);
  const to = instantMicros(body.to);
  if (from !== null && to !== null && from > to)
    fail('time', `from ${body.from} is after to ${body.to}`);
  /** @type {{line: Record<string, any>, event: Record<string, any> | null, name: string, isAnchor: boolean}[]} */
  const entries = [];
  if (isObject(body.anchor)) entries.push(lineEntry(body.anchor, 'anchor', true));
  (Array.isArray(body.lines) ? body.lines : []).forEach((line, i) => {
    if (isObject(line)) entries.push(lineEntry(line, `line ${i + 1}`, false));
    else fail('format', `line ${i + 1}: ${show(line)} is not a line object`);
  });

  const anchorEntry = entries[0]?.isAnchor ? entries[0] : null;
  let balance = 0n;
  if (anchorEntry && LINE_SIGNED(anchorEntry.line.balanceAfterMinor))
    balance = BigInt(anchorEntry.line.balanceAfterMinor);
  if (LINE_SIGNED(body.openingBalanceMinor) && BigInt(body.openingBalanceMinor) !== balance)
    fail(
      'arithmetic',
      anchorEntry
        ? `openingBalanceMinor ${body.openingBalanceMinor} is not the anchor's balanceAfterMinor ${balance}`
        : `openingBalanceMinor ${body.openingBalanceMinor} is not 0, yet the statement has no anchor (the account was opened after from)`,
    );
  if (LINE_SIGNED(body.openingBalanceMinor) && BigInt(body.openingBalanceMinor) < 0n)
    fail('arithmetic', `openingBalanceMinor ${body.openingBalanceMinor} is negative`);
  let credits = 0n;
  let debits = 0n;
  /** @type {{event: Record<string, any> | null, name: string} | null} */
  let previous = null;

  for (const entry of entries) {
    const { line, event, name, isAnchor } = entry;
    for (const problem of eventShapeProblems(line.event)) fail('format', `${name}: ${problem}`);
    if (!LINE_SIGNED(line.amountDeltaMinor))
      fail(
        'format',
        `${name}: amountDeltaMinor ${show(line.amountDeltaMinor)} is not a string of signed decimal digits`,
      );
    if (!LINE_SIGNED(line.balanceAfterMinor))
      fail(
        'format',
        `${name}: balanceAfterMinor ${show(line.balanceAfterMinor)} is not a string of decimal digits`,
      );
    if (line.proof !== null && !isObject(line.proof))
      fail('format', `${name}: its proof ${show(line.proof)} is neither an object nor null`);
    if (!event) {
      previous = { event: null, name };
      continue;
    }

    // 1. Hash and account.
    const hashProblem = eventHashProblem(event);
    if (hashProblem) fail('hashes', `${name}: ${hashProblem}`);
    if (expectedStream !== null && event.streamId !== expectedStream)
      fail(
        'account',
        `${name}: it belongs to stream ${show(event.streamId)}, not ${expectedStream} (another account's event)`,
      );

    // 2. Chain and versions.
    if (!isAnchor) {
      const before = previous?.event ?? null;
      if (previous === null) {
        if (event.prevHash !== ZERO_HASH)
          fail(
            'chain',
            `${name}: its prevHash ${short(event.prevHash)} is not 64 zeros, yet the statement has no anchor`,
          );
        if (event.streamVersion !== 1)
          fail(
            'chain',
            `${name}: it is version ${show(event.streamVersion)}, but without an anchor the first line must be version 1`,
          );
      } else if (before) {
        if (event.prevHash !== before.hash)
          fail(
            'chain',
            `${name}: its prevHash ${short(event.prevHash)} is not the hash of the ${previous.name.startsWith('anchor') ? 'anchor' : 'previous line'} (${previous.name}: ${short(before.hash)}): the chain is broken`,
          );
        if (
          Number.isSafeInteger(before.streamVersion) &&
          event.streamVersion !== before.streamVersion + 1
        )
          fail(
            'chain',
            `${name}: version ${show(event.streamVersion)} follows version ${before.streamVersion} (${previous.name})${
              Number.isSafeInteger(event.streamVersion) &&
              event.streamVersion > before.streamVersion + 1
                ? `: ${event.streamVersion - before.streamVersion - 1 === 1 ? `version ${before.streamVersion + 1} is` : `versions ${before.streamVersion + 1}–${event.streamVersion - 1} are`} missing`
                : ''
            }`,
          );
      }
    }

    // 3. Arithmetic.
    let effect = null;
    try {
      effect = balanceEffect(/** @type {{type: string, data: Record<string, unknown>}} */ (event));
    } catch (error) {
      fail('arithmetic', `${name}: its balance effect cannot be computed: ${errorText(error)}`);
    }
    if (
      effect !== null &&
      LINE_SIGNED(line.amountDeltaMinor) &&
      BigInt(line.amountDeltaMinor) !== effect
    )
      fail(
        'arithmetic',
        `${name}: amountDeltaMinor is ${line.amountDeltaMinor}, but a ${event.type}${isDigits(event.data?.amountMinor) ? ` of amountMinor ${event.data.amountMinor}` : ''} moves the balance by ${effect}`,
      );
    if (LINE_SIGNED(line.balanceAfterMinor) && BigInt(line.balanceAfterMinor) < 0n)
      fail('arithmetic', `${name}: balanceAfterMinor ${line.balanceAfterMinor} is negative`);
    if (!isAnchor && effect !== null) {
      balance += effect;
      if (effect > 0n) credits += effect;
      else debits -= effect;
      if (LINE_SIGNED(line.balanceAfterMinor) && BigInt(line.balanceAfterMinor) !== balance)
        fail(
          'arithmetic',
          `${name}: balanceAfterMinor is ${line.balanceAfterMinor}, but the previous balance plus ${effect} is ${balance}`,
        );
    }

    // 4. Time range.
    const occurred = instantMicros(event.occurredAt);
    if (occurred !== null && from !== null && to !== null) {
      if (isAnchor && occurred > from)
        fail(
          'time',
          `${name}: it occurred at ${event.occurredAt}, after the statement's from ${body.from}`,
        );
      if (!isAnchor && occurred <= from)
        fail(
          'time',
          `${name}: it occurred at ${event.occurredAt}, not after the statement's from ${body.from}`,
        );
      if (!isAnchor && occurred > to)
        fail(
          'time',
          `${name}: it occurred at ${event.occurredAt}, after the statement's to ${body.to}`,
        );
    }
    previous = { event, name };
  }

  if (LINE_SIGNED(body.closingBalanceMinor) && BigInt(body.closingBalanceMinor) !== balance)
    fail(
      'arithmetic',
      `closingBalanceMinor ${body.closingBalanceMinor} is not the last balance ${balance}`,
    );
  if (isDigits(totals.creditsMinor) && BigInt(totals.creditsMinor) !== credits)
    fail(
      'arithmetic',
      `totals.creditsMinor ${totals.creditsMinor} is not the sum of the lines' credits ${credits}`,
    );
  if (isDigits(totals.debitsMinor) && BigInt(totals.debitsMinor) !== debits)
    fail(
      'arithmetic',
      `totals.debitsMinor ${totals.debitsMinor} is not the sum of the lines' debits ${debits}`,
    );

  // 5. Checkpoints, then proofs.
  /** @type {Map<number, {signed: Record<string, any>, valid: boolean}>} */
  const checkpoints = new Map();
  /** @type {{number: number, hash: unknown} | null} */
  let before = null;
  (Array.isArray(body.checkpoints) ? body.checkpoints : []).forEach((signed, i) => {
    const label = `checkpoints[${i}] (${checkpointName(signed)})`;
    const problems = key ? checkCheckpoint(signed, key) : [];
    for (const problem of problems) fail('checkpoints', `${label}: ${problem}`);
    if (
      !isObject(signed) ||
      !isObject(signed.checkpoint) ||
      !isPositiveInteger(signed.checkpoint.number)
    )
      return;
    const number = /** @type {number} */ (signed.checkpoint.number);
    if (checkpoints.has(number))
      fail('checkpoints', `${label}: checkpoint ${number} appears twice`);
    else if (before && number < before.number)
      fail(
        'checkpoints',
        `${label}: checkpoint ${number} comes after checkpoint ${before.number}: they are not in number order`,
      );
    else if (
      before &&
      number === before.number + 1 &&
      signed.checkpoint.previousHash !== before.hash
    )
      fail(
        'checkpoints',
        `${label}: its previousHash ${short(signed.checkpoint.previousHash)} is not the hash of checkpoint ${before.number} (${short(before.hash)})`,
      );
    if (!checkpoints.has(number)) checkpoints.set(number, { signed, valid: problems.length === 0 });
    before = { number, hash: signed.hash };
  });

  const used = new Set();
  /** @type {number[]} */
  const provenIn = [];
  let proven = 0;
  let failing = 0;
  let notYetSealed = 0;
  let anchorStatus = anchorEntry ? 'not yet sealed' : null;
  for (const { line, event, name, isAnchor } of entries) {
    if (line.proof === null || line.proof === undefined) {
      if (!isAnchor) notYetSealed += 1;
      continue;
    }
    if (!event || !isObject(line.proof)) continue;
    const number = line.proof.checkpoint;
    const found = checkpoints.get(number);
    if (!found) {
      failing += 1;
      fail(
        'proofs',
        `${name}: its proof refers to checkpoint ${show(number)}, which the statement does not include`,
      );
      if (isAnchor) anchorStatus = 'proof failing';
      continue;
    }
    used.add(number);
    const problems = checkInclusion(event, line.proof, found.signed);
    for (const problem of problems) fail('proofs', `${name}: ${problem}`);
    if (problems.length === 0 && found.valid) {
      if (isAnchor) anchorStatus = `proven in checkpoint ${number}`;
      else {
        proven += 1;
        provenIn.push(number);
      }
    } else {
      if (problems.length === 0)
        fail(
          'proofs',
          `${name}: it is in checkpoint ${number}, but that checkpoint is not valid (see above)`,
        );
      if (isAnchor) anchorStatus = 'proof failing';
      else failing += 1;
    }
  }
  for (const number of checkpoints.keys())
    if (!used.has(number))
      findings.warn(`checkpoint ${number} is included but no proof refers to it`);

  const lineCount = entries.filter((entry) => !entry.isAnchor).length;
  const exponent = account.currencyExponent;
  Object.assign(findings.summary, {
    account: {
      id: account.id ?? null,
      ownerId: account.ownerId ?? null,
      currency: account.currency ?? null,
      currencyExponent: account.currencyExponent ?? null,
    },
    from: body.from ?? null,
    to: body.to ?? null,
    openingBalanceMinor: body.openingBalanceMinor ?? null,
    closingBalanceMinor: body.closingBalanceMinor ?? null,
    totals: { creditsMinor: totals.creditsMinor ?? null, debitsMinor: totals.debitsMinor ?? null },
    opening: formatMinor(body.openingBalanceMinor, exponent),
    closing: formatMinor(body.closingBalanceMinor, exponent),
    anchor: anchorEntry
      ? {
          eventId: anchorEntry.event?.eventId ?? null,
          streamVersion: anchorEntry.event?.streamVersion ?? null,
          status: anchorStatus,
        }
      : null,
    lines: lineCount,
    proven,
    provenIn: [...new Set(provenIn)].sort((a, b) => a - b),
    notYetSealed,
    failingProofs: failing,
    checkpoints: [...checkpoints.keys()],
    counts: linesPhrase(lineCount, proven, provenIn, notYetSealed, failing),
  });
  return findings.finish((valid) => {
    if (!valid) return '';
    const sealing =
      notYetSealed === 0 ? 'every line sealed' : `${plural(notYetSealed, 'line')} not yet sealed`;
    return `statement of account ${account.id} valid, ${sealing}${keyCaveat(findings)}`;
  });
}

/** "42 lines, 40 proven in checkpoints 3–7, 2 not yet sealed". */
function linesPhrase(
  /** @type {number} */ lines,
  /** @type {number} */ proven,
  /** @type {number[]} */ provenIn,
  /** @type {number} */ notYetSealed,
  /** @type {number} */ failing,
) {
  const parts = [plural(lines, 'line')];
  parts.push(proven > 0 ? `${proven} proven in ${checkpointsPhrase(provenIn)}` : '0 proven');
  if (failing > 0) parts.push(`${failing} with a failing proof`);
  parts.push(`${notYetSealed} not yet sealed`);
  return parts.join(', ');
}

/**
 * @param {Record<string, any>} line
 * @param {string} label
 * @param {boolean} isAnchor
 */
function lineEntry(line, label, isAnchor) {
  const event = isObject(line.event) ? line.event : null;
  const name = event
    ? `${label} (event ${typeof event.eventId === 'string' ? event.eventId : show(event.eventId)}, version ${show(event.streamVersion)})`
    : label;
  return { line, event, name, isAnchor };
}

// ---------------------------------------------------------------------------------------------
// Documents: detecting the kind, verifying, reporting

export class UsageError extends Error {}

/**
 * Detects a document's kind from its content (and, for .jsonl, its name).
 * @param {string} text
 * @param {string} [fileName]
 * @returns {{kind: VerificationResult['kind'], value: unknown}}
 */
export function detectDocument(text, fileName = '') {
  const content = text.replace(/^\uFEFF/, '');
  if (fileName.toLowerCase().endsWith('.jsonl')) return { kind: 'checkpoints', value: content };
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(content);
  } catch (error) {
    // Several lines of JSON, the first a signed checkpoint: a checkpoint file under another name.
    const first = content.split('\n').find((line) => line.trim() !== '');
    try {
      const parsed = first === undefined ? undefined : JSON.parse(first);
      if (isObject(parsed) && 'checkpoint' in parsed && 'signature' in parsed)
        return { kind: 'checkpoints', value: content };
    } catch {
      // Not a checkpoint file either.
    }
    throw new UsageError(`the file is not JSON: ${errorText(error)}`);
  }
  if (Array.isArray(value)) return { kind: 'checkpoints', value };
  if (!isObject(value)) throw new UsageError('the file holds no JSON object');
  if (value.format === PROOF_FORMAT) return { kind: 'proof', value };
  if ('statement' in value && 'signature' in value) return { kind: 'statement', value };
  if ('checkpoint' in value && 'hash' in value && 'signature' in value)
    return { kind: 'checkpoint', value };
  throw new UsageError(
    'the file is not a Chronicle evidence document (a checkpoints.jsonl, a signed checkpoint, a chronicle.proof.v1 proof or a statement)',
  );
}

/**
 * Verifies a document of the given kind.
 * @param {{kind: VerificationResult['kind'], value: unknown}} document
 * @param {unknown} [publicKey]
 * @returns {VerificationResult}
 */
export function verifyDocument(document, publicKey) {
  switch (document.kind) {
    case 'checkpoints':
      return verifyCheckpoints(/** @type {string | unknown[]} */ (document.value), publicKey);
    case 'checkpoint':
      return verifyCheckpoint(document.value, publicKey);
    case 'proof':
      return verifyProof(document.value, publicKey);
    case 'statement':
      return verifyStatement(document.value, publicKey);
  }
}

const KIND_NAMES = {
  checkpoints: `checkpoint file (one ${CHECKPOINT_FORMAT} per line)`,
  checkpoint: `signed checkpoint (${CHECKPOINT_FORMAT})`,
  proof: `proof document (${PROOF_FORMAT})`,
  statement: `account statement (${STATEMENT_FORMAT})`,
};

/**
 * The human-readable report.
 * @param {VerificationResult} result
 * @param {{file?: string, keyFile?: string}} [context]
 */
export function formatReport(result, context = {}) {
  const out = ['Chronicle offline verifier: evidence format v1 (docs/formats/evidence-v1.md)'];
  if (context.file) out.push(`File:  ${context.file}`);
  out.push(`Kind:  ${KIND_NAMES[result.kind]}`);
  const s = /** @type {Record<string, any>} */ (result.summary);
  if (s.keyId)
    out.push(
      s.keySource === 'document'
        ? `Key:   ${s.keyId}, TAKEN FROM THE DOCUMENT ITSELF (no --public-key given)`
        : `Key:   ${s.keyId}${context.keyFile ? `, from ${context.keyFile}` : ', given'}`,
    );
  out.push('', 'Checks:');
  for (const check of result.checks) out.push(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.check}`);
  if (result.problems.length > 0) {
    out.push('', `Problems (${result.problems.length}):`);
    result.problems.forEach((problem, i) => out.push(`  ${i + 1}. ${problem}`));
  }
  if (result.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const warning of result.warnings) out.push(`  - ${warning}`);
  }
  out.push('', 'Summary:');
  for (const line of summaryLines(result)) out.push(`  ${line}`);
  out.push('', result.verdict);
  return `${out.join('\n')}\n`;
}

/** A summary value: strings as they are, anything else as JSON. @param {unknown} value */
function plain(value) {
  return typeof value === 'string' ? value : show(value);
}

/** @param {VerificationResult} result @returns {string[]} */
function summaryLines(result) {
  const s = /** @type {Record<string, any>} */ (result.summary);
  switch (result.kind) {
    case 'checkpoints':
      return [
        `${plural(s.checkpoints, 'checkpoint')}${s.numbers ? ` (${s.checkpoints === 1 ? 'number' : 'numbers'} ${s.numbers})` : ''}, sealing ${plural(s.events, 'event')}`,
        ...(s.lastSealedAt
          ? [`last sealed at ${s.lastSealedAt}, through ${plain(s.through)}`]
          : []),
      ];
    case 'checkpoint':
      return [
        `checkpoint ${plain(s.number)}: ${plain(s.eventCount)} events, sealed at ${plain(s.sealedAt)}, through ${plain(s.through)}`,
        `hash ${plain(s.hash)}`,
      ];
    case 'proof':
      return [
        `event ${plain(s.eventId)}, stream ${plain(s.streamId)}, version ${plain(s.streamVersion)}`,
        s.status === 'sealed'
          ? `sealed in checkpoint ${plain(s.checkpoint)} (sealed at ${plain(s.sealedAt)}), leaf ${plain(s.leafIndex)} of ${plain(s.treeSize)}`
          : `status ${plain(s.status)}`,
      ];
    case 'statement': {
      const account = s.account ?? {};
      const currency = account.currency ?? '';
      return [
        `account ${plain(account.id)} (owner ${plain(account.ownerId)}, ${currency}, exponent ${plain(account.currencyExponent)})`,
        `period: ${plain(s.from)} < occurredAt ≤ ${plain(s.to)}`,
        `opening balance ${s.opening} ${currency}, closing balance ${s.closing} ${currency}`,
        `totals: credits ${formatMinor(s.totals?.creditsMinor, account.currencyExponent)}, debits ${formatMinor(s.totals?.debitsMinor, account.currencyExponent)} ${currency}`,
        s.anchor
          ? `anchor: event ${plain(s.anchor.eventId)} version ${plain(s.anchor.streamVersion)}, ${s.anchor.status}`
          : 'no anchor: the account was opened after from',
        s.counts,
        `checkpoints included: ${s.checkpoints.length > 0 ? formatNumbers(s.checkpoints) : 'none'}`,
      ];
    }
  }
}

/**
 * @param {string[]} argv
 * @returns {{file?: string, publicKey?: string, json: boolean, help: boolean}}
 */
function parseArguments(argv) {
  /** @type {{file?: string, publicKey?: string, json: boolean, help: boolean}} */
  const options = { json: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const argument = /** @type {string} */ (argv[i]);
    if (argument === '--json') options.json = true;
    else if (argument === '--help' || argument === '-h') options.help = true;
    else if (argument === '--public-key' || argument.startsWith('--public-key=')) {
      const value =
        argument === '--public-key' ? argv[(i += 1)] : argument.slice('--public-key='.length);
      if (!value) throw new UsageError('--public-key needs a file');
      if (options.publicKey !== undefined) throw new UsageError('--public-key is given twice');
      options.publicKey = value;
    } else if (argument.startsWith('-') && argument !== '-')
      throw new UsageError(`unknown option ${argument}`);
    else if (options.file !== undefined) throw new UsageError('give one file to verify');
    else options.file = argument;
  }
  if (!options.help && options.file === undefined) throw new UsageError('no file to verify');
  return options;
}

/**
 * The command line. Returns the exit code: 0 valid, 1 invalid, 2 usage, I/O or parse error.
 * @param {string[]} argv
 * @param {{stdout: {write(text: string): unknown}, stderr: {write(text: string): unknown}}} [io]
 */
export function main(argv, io = { stdout: process.stdout, stderr: process.stderr }) {
  /** @param {string} message */
  const usage = (message) => {
    io.stderr.write(`chronicle-verify: ${message}\n\n${USAGE}`);
    return 2;
  };
  let options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    return usage(errorText(error));
  }
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const file = /** @type {string} */ (options.file);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr.write(`chronicle-verify: cannot read ${file}: ${errorText(error)}\n`);
    return 2;
  }
  let document;
  try {
    document = detectDocument(text, path.basename(file));
  } catch (error) {
    io.stderr.write(`chronicle-verify: ${file}: ${errorText(error)}\n`);
    return 2;
  }
  let key;
  if (options.publicKey !== undefined) {
    try {
      key = parsePublicKey(readFileSync(options.publicKey, 'utf8'));
    } catch (error) {
      io.stderr.write(
        `chronicle-verify: cannot use the public key ${options.publicKey}: ${errorText(error)}\n`,
      );
      return 2;
    }
  } else if (document.kind === 'checkpoints' || document.kind === 'checkpoint') {
    return usage(
      `a ${document.kind === 'checkpoints' ? 'checkpoint file' : 'signed checkpoint'} carries no public key: pass Chronicle's key with --public-key (obtain it from ${PUBLIC_KEY_ENDPOINT})`,
    );
  } else {
    const value = /** @type {Record<string, any>} */ (document.value);
    const embedded = document.kind === 'statement' ? value.statement?.publicKey : value.publicKey;
    const needed = document.kind === 'statement' || value.status === 'sealed';
    if (needed && !isObject(embedded))
      return usage(
        `the document embeds no public key: pass Chronicle's key with --public-key (obtain it from ${PUBLIC_KEY_ENDPOINT})`,
      );
  }
  let result;
  try {
    result = verifyDocument(document, key);
  } catch (error) {
    io.stderr.write(`chronicle-verify: ${file}: could not be verified: ${errorText(error)}\n`);
    return 2;
  }
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          valid: result.valid,
          kind: result.kind,
          verdict: result.verdict,
          problems: result.problems,
          warnings: result.warnings,
          checks: result.checks,
          summary: result.summary,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout.write(
      formatReport(result, { file, ...(options.publicKey ? { keyFile: options.publicKey } : {}) }),
    );
  }
  return result.valid ? 0 : 1;
}

/** Whether this module is the program Node was asked to run (not imported by another). */
function isEntryPoint() {
  const script = process.argv[1];
  if (!script) return false;
  if (import.meta.url === pathToFileURL(script).href) return true;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = main(process.argv.slice(2));
