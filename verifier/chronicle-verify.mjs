#!/usr/bin/env node
// chronicle-verify.mjs: the offline verifier of Chronicle's evidence documents (format v1).
//
// It checks, with nothing but Node.js 20 or later (no npm install, no other file), what Chronicle
// hands out as evidence:
//
//   - a checkpoint file (checkpoints.jsonl: one signed checkpoint per line),
//   - a single signed checkpoint,
//   - a proof document (GET /api/v1/events/{id}/proof),
//   - an account statement (GET /api/v1/accounts/{id}/statement),
//   - a dispute case's evidence package (GET /api/v1/disputes/{id}/package): the ZIP, or the
//     directory it was unzipped to, checked as a whole (the statement, a proof of every event of
//     the case, the evidence files' hashes, and the money trail between them).
//
// It is a second, independent implementation of docs/formats/evidence-v1.md (canonical JSON,
// event hash, leaves, the RFC 6962 Merkle tree and RFC 9162 inclusion proofs, Ed25519-signed
// checkpoints and statements, evidence packages) and shares no code with Chronicle: copy this one
// file to any machine and run
//
//   node chronicle-verify.mjs <file | package.zip | package-directory> [--public-key <file.jwk|file.pem>] [--json]
//
// Pass the public key you obtained from Chronicle yourself (GET /api/v1/checkpoints/public-key),
// over a channel you trust. Documents embed a copy for convenience, but a forger can embed their
// own: without --public-key the verifier uses that copy and says so.
//
// Exit code: 0 valid, 1 invalid, 2 usage, I/O or parse error. The module also exports its checks.

import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
// The default export, not named imports: zlib.crc32 is newer than Node.js 20.0 (see crc32).
import zlib from 'node:zlib';

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

export const USAGE = `Usage: node chronicle-verify.mjs <file | package.zip | package-directory> [--public-key <file.jwk|file.pem>] [--json]

Verifies a Chronicle evidence document offline (docs/formats/evidence-v1.md). The kind of <file> is
detected from its content:
  checkpoints.jsonl   one signed checkpoint per line (needs --public-key)
  checkpoint          {"checkpoint", "hash", "signature"} (needs --public-key)
  proof               {"format": "chronicle.proof.v1", ...}
  statement           {"statement", "signature"}
  evidence package    a dispute case's package: the ZIP (starting "PK\\x03\\x04"; stored or deflated
                      entries), or a directory holding it unzipped (with case.json at its top).
                      Checks the statement, a sealed proof of every event of the case, the
                      evidence files' SHA-256, case.json, and the money trail between them.

  --public-key <file>  Chronicle's public key: a JWK (as served by ${PUBLIC_KEY_ENDPOINT}),
                       a PEM "PUBLIC KEY", or the 32-byte raw key in hex. Without it, proofs,
                       statements and packages are checked against the key they embed, which
                       proves much less.
  --json               print one JSON object {valid, kind, verdict, problems, warnings, summary}

Exit code: 0 valid, 1 invalid (for a package also: refused as unsafe or damaged, or not yet fully
sealed), 2 usage, I/O or parse error.
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

// The same table as the ledger's balanceDelta (lib/ledger/events.ts): a type missing here would
// make every statement holding it fail its arithmetic, so the two must change together.
const CREDIT_TYPES = new Set([
  'funds_deposited',
  'transfer_completed',
  'charge_reversed',
  'provisional_credit_given',
  'disputed_charge_refunded',
]);
const DEBIT_TYPES = new Set([
  'funds_withdrawn',
  'transfer_initiated',
  'held_funds_captured',
  'provisional_credit_reversed',
  'shortfall_collected',
]);

/**
 * The balance effect of an event on its own account (spec §7): + amountMinor for credits,
 * − amountMinor for debits, 0 for every other type. Throws when a credit or debit has no
 * `data.amountMinor` of decimal digits.
 * @param {{type: string, data: Record<string, unknown>}} event
 * @returns {bigint}
 */
export function balanceEffect(event) {
  // A backdated correction (balance_corrected) is a credit or a debit by its data.kind.
  const corrected = event.type === 'balance_corrected';
  const kind = corrected && isObject(event.data) ? event.data.kind : undefined;
  const credit = CREDIT_TYPES.has(event.type) || kind === 'deposit';
  if (!credit && !DEBIT_TYPES.has(event.type) && !corrected) return 0n;
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
 * @property {'checkpoints' | 'checkpoint' | 'proof' | 'statement' | 'package'} kind
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
      // The file sink appends and fsyncs; a crash can leave its last line cut short. The sink
      // then writes that checkpoint again on the next line: a cut line followed by the whole
      // line it is the start of is that retried write, not an entry.
      const next = lines[index + 1]?.replace(/\r$/, '');
      if (unterminated && index === lines.length - 1) truncatedLine = index + 1;
      else if (next !== undefined && next.length > line.length && next.startsWith(line)) return;
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
    [
      'effective',
      'by effective time: later corrections, and the opening and closing balances they move',
    ],
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
    checkOwnEvent(event, name, expectedStream, fail);

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

  const laterEntries = checkEffectiveTime(body, entries, fail);

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
  for (const { line, event, name, isAnchor, isLater } of [...entries, ...laterEntries]) {
    if (line.proof === null || line.proof === undefined) {
      if (!isAnchor && !isLater) notYetSealed += 1;
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
      else if (!isLater) {
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
    effective: isObject(body.effective)
      ? {
          opening: formatMinor(body.effective.openingBalanceMinor, exponent),
          closing: formatMinor(body.effective.closingBalanceMinor, exponent),
          laterCorrections: laterEntries.length,
        }
      : null,
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
 * @param {boolean} [isLater] a correction recorded after the period (spec §7, "effective")
 */
function lineEntry(line, label, isAnchor, isLater = false) {
  const event = isObject(line.event) ? line.event : null;
  const name = event
    ? `${label} (event ${typeof event.eventId === 'string' ? event.eventId : show(event.eventId)}, version ${show(event.streamVersion)})`
    : label;
  return { line, event, name, isAnchor, isLater };
}

/**
 * An event of the statement: its hash recomputed from its contents, and its stream the account's.
 * @param {Record<string, any>} event
 * @param {string} name
 * @param {string | null} expectedStream
 * @param {(check: string, message: string) => void} fail
 */
function checkOwnEvent(event, name, expectedStream, fail) {
  const hashProblem = eventHashProblem(event);
  if (hashProblem) fail('hashes', `${name}: ${hashProblem}`);
  if (expectedStream !== null && event.streamId !== expectedStream)
    fail(
      'account',
      `${name}: it belongs to stream ${show(event.streamId)}, not ${expectedStream} (another account's event)`,
    );
}

/**
 * A correction's effectiveAt (stored with three fractional digits) in microseconds, or null.
 * @param {unknown} text
 */
function effectiveMicros(text) {
  if (typeof text === 'string' && /\.[0-9]{3}Z$/.test(text))
    return instantMicros(`${text.slice(0, -1)}000Z`);
  return instantMicros(text);
}

/**
 * The statement's period by effective time (spec §7): every correction recorded after `to` (and by
 * knownAt) that took effect at or before it, each a whole event of the account's stream after the
 * last line; and the opening and closing balances by effective time, which the corrections move
 * from the recorded ones. Returns the later corrections, whose proofs are checked with the lines'.
 * @param {Record<string, any>} body
 * @param {{line: Record<string, any>, event: Record<string, any> | null, name: string, isAnchor: boolean}[]} entries
 * @param {(check: string, message: string) => void} fail
 */
function checkEffectiveTime(body, entries, fail) {
  if (body.effective === undefined) return [];
  const effective = isObject(body.effective) ? body.effective : null;
  if (!effective) {
    fail('format', `its effective ${show(body.effective)} is not an object`);
    return [];
  }
  for (const member of ['openingBalanceMinor', 'closingBalanceMinor'])
    if (!LINE_SIGNED(effective[member]))
      fail('format', `effective.${member} ${show(effective[member])} is not a string of digits`);
  if (!Array.isArray(effective.laterCorrections))
    fail('format', 'effective.laterCorrections is not a list');
  /** @type {ReturnType<typeof lineEntry>[]} */
  const later = [];
  (Array.isArray(effective.laterCorrections) ? effective.laterCorrections : []).forEach(
    (line, i) => {
      if (isObject(line)) later.push(lineEntry(line, `later correction ${i + 1}`, false, true));
      else fail('format', `later correction ${i + 1}: ${show(line)} is not a line object`);
    },
  );
  const from = instantMicros(body.from);
  const to = instantMicros(body.to);
  const knownAt =
    body.knownAt === null || body.knownAt === undefined ? null : instantMicros(body.knownAt);
  const expectedStream =
    isObject(body.account) && typeof body.account.id === 'string'
      ? `account-${body.account.id}`
      : null;
  const movement = (/** @type {Record<string, any>} */ event) => {
    try {
      return balanceEffect(/** @type {{type: string, data: Record<string, unknown>}} */ (event));
    } catch {
      return null;
    }
  };
  let opening = LINE_SIGNED(body.openingBalanceMinor) ? BigInt(body.openingBalanceMinor) : null;
  let closing = LINE_SIGNED(body.closingBalanceMinor) ? BigInt(body.closingBalanceMinor) : null;
  // Corrections recorded in the period that took effect before it belong to the opening balance.
  for (const { event, isAnchor } of entries) {
    if (isAnchor || !event || event.type !== 'balance_corrected') continue;
    const at = effectiveMicros(event.data?.effectiveAt);
    const effect = movement(event);
    if (at !== null && from !== null && at <= from && effect !== null && opening !== null)
      opening += effect;
  }
  const last = entries[entries.length - 1]?.event;
  let version = Number.isSafeInteger(last?.streamVersion) ? last?.streamVersion : 0;
  for (const { line, event, name } of later) {
    for (const problem of eventShapeProblems(line.event)) fail('format', `${name}: ${problem}`);
    if (!event) continue;
    checkOwnEvent(event, name, expectedStream, fail);
    if (event.type !== 'balance_corrected') {
      fail('effective', `${name}: it is a ${show(event.type)}, not a balance_corrected`);
      continue;
    }
    const at = effectiveMicros(event.data?.effectiveAt);
    const recorded = instantMicros(event.occurredAt);
    if (at === null)
      fail(
        'effective',
        `${name}: its effectiveAt ${show(event.data?.effectiveAt)} is not an instant`,
      );
    else if (to !== null && at > to)
      fail('effective', `${name}: it took effect at ${event.data.effectiveAt}, after the period`);
    if (recorded !== null && to !== null && recorded <= to)
      fail(
        'effective',
        `${name}: it was recorded at ${event.occurredAt}, inside the period: it is a line`,
      );
    if (recorded !== null && knownAt !== null && recorded > knownAt)
      fail(
        'effective',
        `${name}: it was recorded at ${event.occurredAt}, after knownAt ${body.knownAt}`,
      );
    if (!Number.isSafeInteger(event.streamVersion) || event.streamVersion <= version)
      fail(
        'effective',
        `${name}: version ${show(event.streamVersion)} does not come after version ${version}`,
      );
    else version = event.streamVersion;
    const effect = movement(event);
    if (
      effect === null ||
      !LINE_SIGNED(line.amountDeltaMinor) ||
      BigInt(line.amountDeltaMinor) !== effect
    ) {
      fail(
        'arithmetic',
        `${name}: amountDeltaMinor ${show(line.amountDeltaMinor)} is not what the correction moves`,
      );
      continue;
    }
    if (closing !== null) closing += effect;
    if (opening !== null && at !== null && from !== null && at <= from) opening += effect;
  }
  if (
    opening !== null &&
    LINE_SIGNED(effective.openingBalanceMinor) &&
    BigInt(effective.openingBalanceMinor) !== opening
  )
    fail(
      'arithmetic',
      `effective.openingBalanceMinor ${effective.openingBalanceMinor} is not the opening balance moved by the corrections that took effect by from: ${opening}`,
    );
  if (
    closing !== null &&
    LINE_SIGNED(effective.closingBalanceMinor) &&
    BigInt(effective.closingBalanceMinor) !== closing
  )
    fail(
      'arithmetic',
      `effective.closingBalanceMinor ${effective.closingBalanceMinor} is not the closing balance plus the later corrections: ${closing}`,
    );
  return later;
}

// ---------------------------------------------------------------------------------------------
// Reading an evidence package (spec §9): a ZIP archive, or the directory it was unzipped to

/**
 * An archive or directory the verifier refuses to read: unsafe (a name climbing out of the
 * package, a symbolic link), damaged (a CRC or size that does not match), encrypted, or beyond what
 * it reads (ZIP64, split archives, compression other than stored or deflated, an entry over
 * MAX_ENTRY_BYTES). The package is then invalid as handed over: nothing in it was checked.
 */
export class PackageFormatError extends Error {}

/** The largest entry read, uncompressed: a package holds JSON and a few evidence files. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** The most read in all, so that many entries each under the limit cannot exhaust memory. */
export const MAX_PACKAGE_BYTES = 256 * 1024 * 1024;
const MAX_PACKAGE_ENTRIES = 10_000;

const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_CENTRAL_HEADER = 0x02014b50;
const ZIP_END = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP_FLAG_ENCRYPTED = 0x0001;
const ZIP_FLAG_DATA_DESCRIPTOR = 0x0008;
const ZIP_FLAG_STRONG_ENCRYPTION = 0x0040;
const ZIP_STORED = 0;
const ZIP_DEFLATED = 8;
/** In the classic records these values mean "the real one is in a ZIP64 record". */
const ZIP64_MARK_16 = 0xffff;
const ZIP64_MARK_32 = 0xffffffff;

/** @typedef {{name: string, bytes: Uint8Array, method?: 'stored' | 'deflated'}} PackageEntry */

/** Whether the bytes begin as a ZIP archive does: a local file header, "PK\x03\x04". @param {Uint8Array} bytes */
export function isZipArchive(bytes) {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4
  );
}

/** @type {Int32Array | null} */
let crcTable = null;

/**
 * CRC-32 as ZIP uses it (ISO 3309, reflected, polynomial 0xEDB88320). zlib.crc32 when Node.js
 * has it (20.15 and later); computed here otherwise, since the verifier runs on any Node.js 20.
 * @param {Uint8Array} bytes
 */
function crc32(bytes) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes);
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const table = crcTable;
  let crc = -1;
  for (let i = 0; i < bytes.length; i += 1)
    crc =
      /** @type {number} */ (table[(crc ^ /** @type {number} */ (bytes[i])) & 0xff]) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/**
 * Why a name cannot be a path inside the package, or null when it can. Backslashes count as
 * separators: some Windows tools write them, and a Windows unzip tool follows them.
 * @param {string} name
 */
export function unsafeEntryName(name) {
  if (name === '') return 'it has an empty name';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'its name holds control characters';
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return 'it is an absolute path';
  if (/^[A-Za-z]:/.test(slashed)) return 'it is an absolute path (it starts with a drive letter)';
  if (slashed.split('/').includes('..'))
    return 'it climbs out of the package (a ".." segment): a path traversal';
  return null;
}

/** @param {string} message @returns {never} */
function refuse(message) {
  throw new PackageFormatError(message);
}

/**
 * Where the end of central directory record starts: the last 22 bytes, unless the archive ends
 * with a comment (at most 65535 bytes), so it is looked for from the end.
 * @param {Buffer} zip
 */
function endOfCentralDirectory(zip) {
  for (let at = zip.length - 22; at >= 0 && at >= zip.length - 22 - 0xffff; at -= 1)
    if (zip.readUInt32LE(at) === ZIP_END && at + 22 + zip.readUInt16LE(at + 20) <= zip.length)
      return at;
  return refuse('the archive is damaged or cut short: it has no end of central directory record');
}

const ZIP64_REFUSED =
  'it uses ZIP64, which this verifier does not read (no package is that large): zip the folder again without ZIP64';

/**
 * The entries of a ZIP archive (PKWARE APPNOTE 6.3.10), as its central directory lists them and
 * their local headers confirm: stored or deflated (an auditor may zip the folder again with any
 * tool), each inflated within its stated size and checked against its CRC-32. Directory entries
 * are left out; names use forward slashes. Throws a PackageFormatError for anything unsafe,
 * damaged or beyond what it reads, never returning part of an archive.
 * @param {Uint8Array} archive
 * @returns {PackageEntry[]}
 */
export function readZip(archive) {
  const zip = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  const end = endOfCentralDirectory(zip);
  if (end >= 20 && zip.readUInt32LE(end - 20) === ZIP64_END_LOCATOR)
    refuse(`the archive: ${ZIP64_REFUSED}`);
  const disk = zip.readUInt16LE(end + 4);
  const directoryDisk = zip.readUInt16LE(end + 6);
  const entriesOnDisk = zip.readUInt16LE(end + 8);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryStart = zip.readUInt32LE(end + 16);
  if (
    count === ZIP64_MARK_16 ||
    directorySize === ZIP64_MARK_32 ||
    directoryStart === ZIP64_MARK_32
  )
    refuse(`the archive: ${ZIP64_REFUSED}`);
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count)
    refuse('the archive is split over several files (a spanned ZIP): join it first');
  const directoryEnd = directoryStart + directorySize;
  if (directoryEnd > end)
    refuse('the archive is damaged: its central directory lies beyond its end record');
  if (count > MAX_PACKAGE_ENTRIES)
    refuse(
      `the archive holds ${count} entries, more than the ${MAX_PACKAGE_ENTRIES} a package may`,
    );

  /** @type {PackageEntry[]} */
  const entries = [];
  const names = new Set();
  let total = 0;
  let at = directoryStart;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > directoryEnd || zip.readUInt32LE(at) !== ZIP_CENTRAL_HEADER)
      refuse(
        `the archive is damaged: entry ${index + 1} of its central directory is not where it should be`,
      );
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const next = at + 46 + nameLength + extraLength + zip.readUInt16LE(at + 32);
    if (next > directoryEnd)
      refuse(
        `the archive is damaged: entry ${index + 1} of its central directory runs past its end`,
      );
    const rawName = zip.subarray(at + 46, at + 46 + nameLength);
    const header = {
      rawName,
      // UTF-8 whether or not flag 11 says so: most tools write UTF-8 names without the flag.
      name: rawName.toString('utf8'),
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      startDisk: zip.readUInt16LE(at + 34),
      localOffset: zip.readUInt32LE(at + 42),
    };
    at = next;
    const entry = readZipEntry(zip, header, directoryStart);
    if (!entry) continue;
    if (names.has(entry.name))
      refuse(
        `the archive holds ${show(entry.name)} twice: which copy counts would depend on the unzip tool`,
      );
    names.add(entry.name);
    total += entry.bytes.length;
    if (total > MAX_PACKAGE_BYTES)
      refuse(
        `the archive unpacks to more than ${MAX_PACKAGE_BYTES} bytes, more than a package may`,
      );
    entries.push(entry);
  }
  return entries;
}

/**
 * One entry, from its central directory header and its local header, or null for a directory.
 * @param {Buffer} zip
 * @param {{rawName: Buffer, name: string, flags: number, method: number, crc: number, compressedSize: number, size: number, startDisk: number, localOffset: number}} header
 * @param {number} directoryStart
 * @returns {PackageEntry | null}
 */
function readZipEntry(zip, header, directoryStart) {
  const label = `the archive entry ${show(header.name)}`;
  const unsafe = unsafeEntryName(header.name);
  if (unsafe) refuse(`${label} is refused: ${unsafe}`);
  const name = header.name.replace(/\\/g, '/');
  if (header.flags & (ZIP_FLAG_ENCRYPTED | ZIP_FLAG_STRONG_ENCRYPTION))
    refuse(
      `${label} is encrypted: an evidence package is never encrypted, and its contents cannot be checked`,
    );
  if (
    header.size === ZIP64_MARK_32 ||
    header.compressedSize === ZIP64_MARK_32 ||
    header.localOffset === ZIP64_MARK_32 ||
    header.startDisk === ZIP64_MARK_16
  )
    refuse(`${label}: ${ZIP64_REFUSED}`);
  if (header.method !== ZIP_STORED && header.method !== ZIP_DEFLATED)
    refuse(
      `${label} uses compression method ${header.method}; this verifier reads stored (0) and deflated (8) entries`,
    );
  if (header.size > MAX_ENTRY_BYTES)
    refuse(
      `${label} is ${header.size} bytes, larger than the ${MAX_ENTRY_BYTES} an entry of a package may be`,
    );

  const local = header.localOffset;
  if (local + 30 > directoryStart || zip.readUInt32LE(local) !== ZIP_LOCAL_HEADER)
    refuse(`the archive is damaged: ${label} has no local header where its central directory says`);
  const localFlags = zip.readUInt16LE(local + 6);
  const localNameLength = zip.readUInt16LE(local + 26);
  const dataStart = local + 30 + localNameLength + zip.readUInt16LE(local + 28);
  // A name in the local header that differs from the central directory's lets two unzip tools
  // extract different files from one archive.
  if (!zip.subarray(local + 30, local + 30 + localNameLength).equals(header.rawName))
    refuse(
      `${label}: its local header names another file, ${show(zip.subarray(local + 30, local + 30 + localNameLength).toString('utf8'))}`,
    );
  if (localFlags & (ZIP_FLAG_ENCRYPTED | ZIP_FLAG_STRONG_ENCRYPTION))
    refuse(
      `${label} is encrypted: an evidence package is never encrypted, and its contents cannot be checked`,
    );
  if (zip.readUInt16LE(local + 8) !== header.method)
    refuse(
      `the archive is damaged: ${label} has one compression method in its local header, another in the central directory`,
    );
  if (
    !(localFlags & ZIP_FLAG_DATA_DESCRIPTOR) &&
    (zip.readUInt32LE(local + 14) !== header.crc ||
      zip.readUInt32LE(local + 18) !== header.compressedSize ||
      zip.readUInt32LE(local + 22) !== header.size)
  )
    refuse(
      `the archive is damaged: ${label} has one CRC or size in its local header, another in the central directory`,
    );
  const dataEnd = dataStart + header.compressedSize;
  if (dataEnd > directoryStart)
    refuse(
      `the archive is damaged or cut short: the data of ${label} runs into the central directory`,
    );

  if (name.endsWith('/')) return null; // a directory: its files are entries of their own
  const data = zip.subarray(dataStart, dataEnd);
  /** @type {Buffer} */
  let bytes;
  if (header.method === ZIP_STORED) bytes = data;
  else {
    try {
      // Never more than the stated size: a few kilobytes cannot inflate into gigabytes.
      bytes = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, header.size) });
    } catch (error) {
      return refuse(
        `the archive is damaged: ${label} cannot be inflated to its stated ${header.size} bytes (${errorText(error)})`,
      );
    }
  }
  if (bytes.length !== header.size)
    refuse(
      `the archive is damaged: ${label} holds ${bytes.length} bytes, not the ${header.size} its header states`,
    );
  if (crc32(bytes) !== header.crc)
    refuse(`the archive is damaged: ${label} does not match its CRC-32`);
  return { name, bytes, method: header.method === ZIP_STORED ? 'stored' : 'deflated' };
}

/**
 * The files of a directory holding an unzipped package, named by their paths inside it (forward
 * slashes). Symbolic links and special files are refused: they could lead outside the package.
 * @param {string} root
 * @returns {PackageEntry[]}
 */
export function readPackageDirectory(root) {
  /** @type {PackageEntry[]} */
  const entries = [];
  let total = 0;
  /** @param {string} directory @param {string} prefix */
  const walk = (directory, prefix) => {
    const children = readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      compareUtf16(a.name, b.name),
    );
    for (const child of children) {
      const name = `${prefix}${child.name}`;
      const full = path.join(directory, child.name);
      if (child.isSymbolicLink())
        refuse(`${name} is a symbolic link: refused, it could lead outside the package`);
      if (child.isDirectory()) {
        walk(full, `${name}/`);
        continue;
      }
      if (!child.isFile()) refuse(`${name} is not a regular file`);
      const size = statSync(full).size;
      if (size > MAX_ENTRY_BYTES)
        refuse(
          `${name} is ${size} bytes, larger than the ${MAX_ENTRY_BYTES} a file of a package may be`,
        );
      total += size;
      if (total > MAX_PACKAGE_BYTES)
        refuse(`the directory holds more than ${MAX_PACKAGE_BYTES} bytes, more than a package may`);
      if (entries.length >= MAX_PACKAGE_ENTRIES)
        refuse(`the directory holds more than the ${MAX_PACKAGE_ENTRIES} files a package may`);
      entries.push({ name, bytes: readFileSync(full) });
    }
  };
  walk(root, '');
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Evidence packages of dispute cases (spec §9)

export const PACKAGE_KEY_WARNING =
  "the public key was taken from the package's own statement.json (no --public-key given). That " +
  'only shows the package is consistent with itself: a forger can embed their own key. Obtain ' +
  `Chronicle's public key independently (${PUBLIC_KEY_ENDPOINT}, over a channel you trust) and ` +
  'pass it with --public-key.';

/** The events of a case's own stream, `dispute-<id>`: they record what happened, moving no money. */
const CASE_EVENT_TYPES = new Set([
  'dispute_opened',
  'dispute_assigned',
  'dispute_note_added',
  'dispute_evidence_added',
  'dispute_evidence_submitted',
  'dispute_provisional_credit_given',
  'dispute_resolved',
  'dispute_shortfall_written_off',
]);
/** The account's side of a case: account events naming it in data.disputeId. */
const CASE_ACCOUNT_TYPES = new Set([
  'charge_disputed',
  'provisional_credit_given',
  'disputed_charge_refunded',
  'provisional_credit_reversed',
  'charge_dispute_closed',
  'shortfall_collected',
  'shortfall_written_off',
]);
/** What a case may dispute: a withdrawal, or a captured hold. */
const CHARGE_TYPES = new Set(['funds_withdrawn', 'held_funds_captured']);
const MANIFEST = 'evidence/manifest.json';

/**
 * @typedef {object} CaseEvent one proof document of the package and the event it proves
 * @property {Record<string, any>} event
 * @property {Record<string, any>} data the event's data ({} when it has none)
 * @property {string} file the entry holding its proof
 */

/**
 * @typedef {object} PackageContext what the checks of a package share
 * @property {Findings} findings
 * @property {Map<string, Buffer>} files the package's entries by name
 * @property {Record<string, any> | null} caseDoc case.json
 * @property {string | null} caseId
 * @property {Record<string, any> | null} statement the body of statement.json
 * @property {number | null} exponent the currency's decimal places, from the statement
 * @property {CaseEvent[]} events the case's events, in version order
 * @property {CaseFold} fold what they say (set once the proofs are read)
 */

/**
 * @typedef {object} CaseFold what the case's events say, folded in version order
 * @property {CaseEvent | null} opened its dispute_opened
 * @property {bigint | null} amountMinor the amount disputed, as dispute_opened says
 * @property {CaseEvent | null} assigned its last dispute_assigned
 * @property {CaseEvent | null} resolved its dispute_resolved
 * @property {CaseEvent[]} provisional its dispute_provisional_credit_given events
 * @property {bigint} provisionalMinor what they gave
 * @property {CaseEvent[]} writtenOff its dispute_shortfall_written_off events
 * @property {bigint} writtenOffMinor what they wrote off
 * @property {Map<string, CaseEvent>} notes dispute_note_added by evidenceId
 * @property {Map<string, CaseEvent>} files dispute_evidence_added by evidenceId
 * @property {Set<unknown>} submitted the evidenceIds every dispute_evidence_submitted lists
 * @property {boolean} anySubmission whether there is a dispute_evidence_submitted
 */

/** Entries operating systems add when a folder is browsed or zipped: ignored. @param {string} name */
function isSystemClutter(name) {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return (
    name.startsWith('__MACOSX/') ||
    base === '.DS_Store' ||
    base === 'Thumbs.db' ||
    base === 'desktop.ini'
  );
}

/**
 * The package's files by name: unsafe names refused, system clutter left out, and, when the
 * package was unzipped and zipped again as a folder, that one folder ("dispute-…/") taken off.
 * @param {PackageEntry[] | Map<string, Uint8Array>} input
 * @param {Findings} findings
 */
function packageFiles(input, findings) {
  const list =
    input instanceof Map ? [...input].map(([name, bytes]) => ({ name, bytes })) : [...input];
  /** @type {Map<string, Buffer>} */
  let files = new Map();
  let ignored = 0;
  for (const entry of list) {
    const unsafe = unsafeEntryName(String(entry.name));
    if (unsafe) {
      findings.fail('layout', `the entry ${show(entry.name)} is refused: ${unsafe}`);
      continue;
    }
    const name = String(entry.name).replace(/\\/g, '/');
    if (name.endsWith('/')) continue;
    if (isSystemClutter(name)) {
      ignored += 1;
      continue;
    }
    if (files.has(name)) findings.fail('layout', `the package holds ${show(name)} twice`);
    else files.set(name, Buffer.isBuffer(entry.bytes) ? entry.bytes : Buffer.from(entry.bytes));
  }
  let folder = '';
  if (!files.has('case.json')) {
    const tops = new Set([...files.keys()].map((name) => name.slice(0, name.indexOf('/') + 1)));
    const [top] = tops;
    if (tops.size === 1 && top && files.has(`${top}case.json`)) {
      folder = top;
      files = new Map([...files].map(([name, bytes]) => [name.slice(top.length), bytes]));
    }
  }
  return { files, folder, ignored };
}

/** An entry's JSON, or undefined (reported) when it is missing or not JSON. @param {PackageContext} pkg @param {string} name */
function packageJson(pkg, name) {
  const bytes = pkg.files.get(name);
  if (!bytes) {
    pkg.findings.fail('layout', `the package has no ${name}`);
    return undefined;
  }
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    pkg.findings.fail('layout', `${name} is not JSON: ${errorText(error)}`);
    return undefined;
  }
}

/**
 * The key the package is checked with: the given one, or else the copy its statement embeds and
 * signs (with a warning). The proofs' copies are not signed and never chosen.
 * @param {Findings} findings
 * @param {unknown} given
 * @param {unknown} statementDoc
 */
function packageKey(findings, given, statementDoc) {
  /** @type {import('node:crypto').KeyObject | null} */
  let key = null;
  if (given !== undefined && given !== null) {
    key = toPublicKey(given);
    findings.summary.keySource = 'given';
  } else {
    const embedded =
      isObject(statementDoc) && isObject(statementDoc.statement)
        ? statementDoc.statement.publicKey
        : undefined;
    try {
      key = publicKeyFromJwk(embedded);
      findings.summary.keySource = 'document';
      findings.warn(PACKAGE_KEY_WARNING);
    } catch {
      findings.fail('key', 'no public key: none was given and statement.json embeds no usable one');
    }
  }
  if (key) findings.summary.keyId = keyIdOf(key);
  return key;
}

/** Minor units from a decimal amount of the API ("89.90"), or null. @param {unknown} text @param {number} exponent */
export function amountMinor(text, exponent) {
  if (typeof text !== 'string') return null;
  const match = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return null;
  return BigInt(`${match[1]}${fraction.padEnd(exponent, '0')}`);
}

/** "89.90 USD" (minor units in the case's currency). @param {PackageContext} pkg @param {bigint} minor */
function money(pkg, minor) {
  const currency = typeof pkg.caseDoc?.currency === 'string' ? ` ${pkg.caseDoc.currency}` : '';
  return `${formatMinor(String(minor), pkg.exponent)}${currency}`;
}

/** "dispute_opened (version 1, proofs/001-dispute_opened.json)". @param {CaseEvent} entry */
function caseEventName(entry) {
  return `${entry.event.type} (version ${show(entry.event.streamVersion)}, ${entry.file})`;
}

/**
 * An amount of a case event's data in minor units, or null (reported) when it is not digits.
 * @param {PackageContext} pkg @param {CaseEvent} entry @param {string} field
 */
function eventMinor(pkg, entry, field) {
  const value = entry.data[field];
  if (isDigits(value)) return BigInt(value);
  pkg.findings.fail(
    'case',
    `${caseEventName(entry)}: its data.${field} ${show(value)} is not a string of decimal digits`,
  );
  return null;
}

/**
 * statement.json: verified as a statement of its own (§7), its problems and warnings reported as
 * the package's.
 * @param {PackageContext} pkg
 * @param {unknown} doc
 * @param {import('node:crypto').KeyObject | null} key
 */
function checkPackageStatement(pkg, doc, key) {
  if (doc === undefined) return null;
  const result = verifyStatement(doc, key ?? undefined);
  for (const problem of result.problems)
    pkg.findings.fail('statement', `statement.json: ${problem}`);
  for (const warning of result.warnings)
    if (warning !== DOCUMENT_KEY_WARNING) pkg.findings.warn(`statement.json: ${warning}`);
  const unsealed = Number(result.summary.notYetSealed ?? 0);
  if (unsealed > 0)
    pkg.findings.warn(
      `statement.json: ${plural(unsealed, 'line')} ${unsealed === 1 ? 'is' : 'are'} not yet sealed (newer than the last checkpoint): the statement's signature vouches for ${unsealed === 1 ? 'it' : 'them'}, no checkpoint does yet`,
    );
  if (isObject(doc) && isObject(doc.statement)) {
    pkg.statement = doc.statement;
    const exponent = isObject(doc.statement.account)
      ? doc.statement.account.currencyExponent
      : undefined;
    if (Number.isSafeInteger(exponent) && exponent >= 0) pkg.exponent = exponent;
  }
  return result;
}

/**
 * proofs/: every proof document verified (§6) and sealed; their checkpoints agree with the
 * statement's (two signed checkpoints with one number would be a fork of the log); each file's
 * name agrees with the event it holds. Fills pkg.events, in version order; returns how many are
 * sealed, and in which checkpoints.
 * @param {PackageContext} pkg
 * @param {import('node:crypto').KeyObject | null} key
 */
function checkPackageProofs(pkg, key) {
  const { findings } = pkg;
  const names = [...pkg.files.keys()]
    .filter((name) => name.startsWith('proofs/'))
    .sort(compareUtf16);
  if (names.length === 0)
    findings.fail('layout', "the package has no proofs/: nothing proves the case's events");
  /** @type {Map<number, {hash: unknown, where: string}>} */
  const checkpoints = new Map();
  for (const signed of Array.isArray(pkg.statement?.checkpoints) ? pkg.statement.checkpoints : [])
    if (
      isObject(signed) &&
      isObject(signed.checkpoint) &&
      isPositiveInteger(signed.checkpoint.number)
    )
      checkpoints.set(signed.checkpoint.number, { hash: signed.hash, where: 'statement.json' });
  /** @type {Map<string, number>} */
  const warnings = new Map();
  /** @type {number[]} */
  const provenIn = [];
  let sealed = 0;
  for (const name of names) {
    const doc = packageJson(pkg, name);
    if (doc === undefined) continue;
    const result = verifyProof(doc, key ?? undefined);
    for (const problem of result.problems) findings.fail('proofs', `${name}: ${problem}`);
    for (const warning of result.warnings)
      if (warning !== DOCUMENT_KEY_WARNING && !warning.startsWith('the event is not yet sealed'))
        warnings.set(warning, (warnings.get(warning) ?? 0) + 1);
    if (!isObject(doc) || !isObject(doc.event)) continue;
    const event = doc.event;
    pkg.events.push({ event, data: isObject(event.data) ? event.data : {}, file: name });
    if (doc.status === 'sealed') sealed += 1;
    if (doc.status === 'sealed' && isPositiveInteger(result.summary.checkpoint))
      provenIn.push(/** @type {number} */ (result.summary.checkpoint));
    // Nothing signs an event newer than the last checkpoint: its proof document proves nothing,
    // so a package relying on it cannot be valid yet. (Another status is a format problem.)
    if (doc.status === 'not_yet_sealed')
      findings.fail(
        'sealed',
        `event ${show(event.streamVersion)} of the case (${typeof event.type === 'string' ? event.type : show(event.type)}, ${name}) is not yet sealed: ask for the package again after the next checkpoint`,
      );
    const signed = doc.checkpoint;
    if (
      isObject(signed) &&
      isObject(signed.checkpoint) &&
      isPositiveInteger(signed.checkpoint.number)
    ) {
      const number = /** @type {number} */ (signed.checkpoint.number);
      const known = checkpoints.get(number);
      if (!known) checkpoints.set(number, { hash: signed.hash, where: name });
      else if (known.hash !== signed.hash)
        findings.fail(
          'proofs',
          `${name}: its checkpoint ${number} (hash ${short(signed.hash)}) is not the checkpoint ${number} of ${known.where} (hash ${short(known.hash)}): two different checkpoints carry one number`,
        );
    }
    const named = /^proofs\/([0-9]+)-(.+)\.json$/.exec(name);
    if (named && (Number(named[1]) !== event.streamVersion || named[2] !== event.type))
      findings.fail(
        'stream',
        `${name}: its name says version ${Number(named[1])}, a ${named[2]}, but it holds version ${show(event.streamVersion)}, a ${show(event.type)}`,
      );
  }
  for (const [warning, count] of warnings)
    findings.warn(`proofs/: ${warning}${count > 1 ? ` (${count} proofs)` : ''}`);
  const version = (/** @type {CaseEvent} */ entry) =>
    Number.isSafeInteger(entry.event.streamVersion) ? entry.event.streamVersion : Infinity;
  pkg.events.sort((a, b) => version(a) - version(b));
  return { provenIn, sealed };
}

/** "version 3 is missing" or "versions 3–5 are missing". @param {number} first @param {number} last */
function missingVersions(first, last) {
  return first === last ? `version ${first} is missing` : `versions ${first}–${last} are missing`;
}

/**
 * The proofs are exactly the case's stream: all of `dispute-<id>`, versions 1…n without a gap or
 * a repeat, each chained to the one before, n the case's version, a dispute_opened first.
 * @param {PackageContext} pkg
 */
function checkCaseStream(pkg) {
  const fail = (/** @type {string} */ message) => pkg.findings.fail('stream', message);
  const stream = pkg.caseId === null ? null : `dispute-${pkg.caseId}`;
  /** @type {CaseEvent | null} */
  let previous = null;
  for (const entry of pkg.events) {
    const { event, file } = entry;
    if (stream !== null && event.streamId !== stream)
      fail(
        `${file}: its event is of stream ${show(event.streamId)}, not ${stream}: it is not an event of this case`,
      );
    if (!CASE_EVENT_TYPES.has(event.type))
      pkg.findings.warn(
        `${file}: a ${show(event.type)} is not an event of a case this verifier knows: its proof was checked, its meaning was not`,
      );
    const version = event.streamVersion;
    if (!Number.isSafeInteger(version)) continue;
    const before = previous?.event.streamVersion;
    if (previous === null) {
      if (version !== 1)
        fail(
          `the case's stream starts at version ${version} (${file}): ${missingVersions(1, version - 1)}: a proof was removed`,
        );
      else if (event.prevHash !== ZERO_HASH)
        fail(
          `${file}: its prevHash ${short(event.prevHash)} is not 64 zeros, yet it is version 1 of the case`,
        );
    } else if (version === before) {
      fail(`${file} and ${previous.file} both hold version ${version} of the case`);
    } else if (version !== before + 1) {
      fail(
        `version ${version} of the case (${file}) follows version ${before} (${previous.file}): ${missingVersions(before + 1, version - 1)}: a proof was removed`,
      );
    } else if (event.prevHash !== previous.event.hash) {
      fail(
        `${file}: its prevHash ${short(event.prevHash)} is not the hash of version ${before} (${previous.file}: ${short(previous.event.hash)}): the chain is broken`,
      );
    }
    if (version === 1 && event.type !== 'dispute_opened')
      fail(`${file}: the case's first event is a ${show(event.type)}, not dispute_opened`);
    if (version !== 1 && event.type === 'dispute_opened')
      fail(`${file}: a second dispute_opened, at version ${version}`);
    previous = entry;
  }
  const count = pkg.events.length;
  const last = previous?.event.streamVersion;
  if (pkg.caseDoc && (pkg.caseDoc.version !== count || (count > 0 && pkg.caseDoc.version !== last)))
    fail(
      `case.json says the case is at version ${show(pkg.caseDoc.version)}, but the package holds proofs of ${plural(count, 'event')} of ${stream ?? 'its stream'}${count > 0 ? ` (the last is version ${show(last)})` : ''}`,
    );
}

/**
 * What the case's events say, folded in version order as the ledger folds them
 * (lib/ledger/dispute/dispute-state.ts).
 * @param {PackageContext} pkg
 * @returns {CaseFold}
 */
function foldCase(pkg) {
  const opened = pkg.events.find((entry) => entry.event.type === 'dispute_opened') ?? null;
  /** @type {CaseFold} */
  const fold = {
    opened,
    amountMinor: opened ? eventMinor(pkg, opened, 'amountMinor') : null,
    assigned: null,
    resolved: null,
    provisional: [],
    provisionalMinor: 0n,
    writtenOff: [],
    writtenOffMinor: 0n,
    notes: new Map(),
    files: new Map(),
    submitted: new Set(),
    anySubmission: false,
  };
  for (const entry of pkg.events) {
    const { data } = entry;
    switch (entry.event.type) {
      case 'dispute_assigned':
        fold.assigned = entry;
        break;
      case 'dispute_note_added':
        fold.notes.set(String(data.evidenceId), entry);
        break;
      case 'dispute_evidence_added':
        fold.files.set(String(data.evidenceId), entry);
        break;
      case 'dispute_evidence_submitted':
        fold.anySubmission = true;
        for (const id of Array.isArray(data.evidenceIds) ? data.evidenceIds : [])
          fold.submitted.add(id);
        break;
      case 'dispute_provisional_credit_given':
        fold.provisional.push(entry);
        fold.provisionalMinor += eventMinor(pkg, entry, 'amountMinor') ?? 0n;
        break;
      case 'dispute_resolved':
        if (fold.resolved)
          pkg.findings.fail('case', `${caseEventName(entry)}: the case is resolved a second time`);
        fold.resolved = entry;
        for (const field of ['refundedMinor', 'clawedBackMinor', 'outstandingMinor'])
          eventMinor(pkg, entry, field);
        break;
      case 'dispute_shortfall_written_off':
        fold.writtenOff.push(entry);
        fold.writtenOffMinor += eventMinor(pkg, entry, 'amountMinor') ?? 0n;
        break;
    }
  }
  return fold;
}

/** A digits field of dispute_resolved (0 when the case is not resolved). @param {CaseFold} fold @param {string} field */
function resolvedMinor(fold, field) {
  const value = fold.resolved?.data[field];
  return isDigits(value) ? BigInt(value) : 0n;
}

/**
 * case.json agrees with the case's events: what dispute_opened says, the money of each step, the
 * status and outcome, and the evidence list. case.json is not signed: these checks are what ties
 * it to the sealed events.
 * @param {PackageContext} pkg
 */
function checkCaseFile(pkg) {
  const { caseDoc, fold } = pkg;
  if (!caseDoc) return;
  const fail = (/** @type {string} */ message) =>
    pkg.findings.fail('case', `case.json: ${message}`);
  /** @param {string} field @param {unknown} expected @param {string} source @param {boolean} [optional] */
  const same = (field, expected, source, optional = false) => {
    if (optional && !(field in caseDoc)) return;
    if (caseDoc[field] !== expected)
      fail(`${field} is ${show(caseDoc[field])}, but ${source} says ${show(expected)}`);
  };
  /** @param {string} field @param {bigint | null} expected @param {string} source */
  const sameAmount = (field, expected, source) => {
    if (expected === null || pkg.exponent === null) return;
    const minor = amountMinor(caseDoc[field], pkg.exponent);
    if (minor === null)
      fail(
        `${field} ${show(caseDoc[field])} is not an amount with at most ${plural(pkg.exponent, 'decimal place')}`,
      );
    else if (minor !== expected)
      fail(
        `${field} is ${caseDoc[field]} ${caseDoc.currency}, but ${source} ${money(pkg, expected)} (${expected} in minor units)`,
      );
  };
  if (pkg.exponent === null)
    fail('its amounts cannot be checked: statement.json gives no usable account.currencyExponent');

  const opened = fold.opened;
  if (opened) {
    const source = caseEventName(opened);
    same('id', opened.data.disputeId, `${source} (its disputeId)`);
    for (const field of ['accountId', 'chargeEventId', 'currency', 'reasonCode'])
      same(field, opened.data[field], source);
    same('description', opened.data.description, source, true);
    if (
      'dueBy' in caseDoc &&
      Date.parse(String(caseDoc.dueBy)) !== Date.parse(String(opened.data.dueBy))
    )
      fail(`dueBy is ${show(caseDoc.dueBy)}, but ${source} says ${show(opened.data.dueBy)}`);
    sameAmount('amount', fold.amountMinor, `${source} says`);
  }
  same(
    'assigneeId',
    fold.assigned ? fold.assigned.data.assigneeId : null,
    fold.assigned ? caseEventName(fold.assigned) : 'no dispute_assigned of the case',
    true,
  );
  sameAmount(
    'provisionalCredit',
    fold.provisionalMinor,
    fold.provisional.length > 0
      ? `${fold.provisional.map(caseEventName).join(', ')} gives`
      : 'no dispute_provisional_credit_given of the case gives anything: it is',
  );
  const resolved = fold.resolved;
  const resolution = resolved
    ? `${caseEventName(resolved)} says`
    : 'the case has no dispute_resolved: it is';
  sameAmount('refundedAmount', resolvedMinor(fold, 'refundedMinor'), resolution);
  sameAmount('clawedBackAmount', resolvedMinor(fold, 'clawedBackMinor'), resolution);
  sameAmount(
    'writtenOffAmount',
    fold.writtenOffMinor,
    fold.writtenOff.length > 0
      ? `${fold.writtenOff.map(caseEventName).join(', ')} ${fold.writtenOff.length === 1 ? 'writes' : 'write'} off`
      : 'no dispute_shortfall_written_off of the case writes anything off: it is',
  );
  const outcome = resolved ? resolved.data.outcome : null;
  same(
    'outcome',
    outcome,
    resolved ? caseEventName(resolved) : 'the case, without a dispute_resolved,',
  );
  const status = resolved
    ? resolved.data.outcome
    : fold.anySubmission
      ? 'under_review'
      : fold.assigned
        ? 'needs_response'
        : 'open';
  same('status', status, "the fold of the case's events (as the ledger folds them)");
  same(
    'resolutionNote',
    resolved ? resolved.data.note : '',
    resolved ? caseEventName(resolved) : 'the case, without a dispute_resolved,',
    true,
  );
  checkCaseEvidenceList(pkg, fail);
}

/**
 * case.json's evidence list is the case's notes and files, as their events record them.
 * @param {PackageContext} pkg
 * @param {(message: string) => void} fail
 */
function checkCaseEvidenceList(pkg, fail) {
  const { caseDoc, fold } = pkg;
  if (!caseDoc) return;
  if (!Array.isArray(caseDoc.evidence)) {
    fail(`evidence ${show(caseDoc.evidence)} is not a list`);
    return;
  }
  const listed = new Set();
  caseDoc.evidence.forEach((item, i) => {
    if (!isObject(item)) {
      fail(`evidence[${i}] ${show(item)} is not an object`);
      return;
    }
    const label = `evidence[${i}] (${show(item.id)})`;
    listed.add(item.id);
    const note = fold.notes.get(String(item.id));
    const file = fold.files.get(String(item.id));
    if (item.kind === 'note') {
      if (!note) fail(`${label} is a note, but no dispute_note_added of the case records it`);
      else if ('text' in item && item.text !== note.data.text)
        fail(
          `${label}: its text is ${show(item.text)}, but ${caseEventName(note)} says ${show(note.data.text)}`,
        );
    } else if (item.kind === 'file') {
      if (!file) fail(`${label} is a file, but no dispute_evidence_added of the case records it`);
      else
        for (const field of ['fileName', 'contentType', 'sizeBytes', 'sha256'])
          if (item[field] !== file.data[field])
            fail(
              `${label}: its ${field} is ${show(item[field])}, but ${caseEventName(file)} records ${show(file.data[field])}`,
            );
    } else fail(`${label}: its kind ${show(item.kind)} is neither "note" nor "file"`);
    const submitted = fold.submitted.has(item.id);
    if (item.submitted !== submitted)
      fail(
        `${label}: submitted is ${show(item.submitted)}, but ${submitted ? 'a' : 'no'} dispute_evidence_submitted of the case lists it`,
      );
  });
  for (const [id, entry] of [...fold.notes, ...fold.files])
    if (!listed.has(id))
      fail(`its evidence leaves out ${show(id)}, which ${caseEventName(entry)} added`);
}

/** The statement's lines (not its anchor), numbered as the statement report numbers them. @param {PackageContext} pkg */
function statementLines(pkg) {
  const lines = Array.isArray(pkg.statement?.lines) ? pkg.statement.lines : [];
  return lines.flatMap((line, i) =>
    isObject(line) && isObject(line.event)
      ? [
          {
            event: line.event,
            data: isObject(line.event.data) ? line.event.data : {},
            number: i + 1,
          },
        ]
      : [],
  );
}

/**
 * The statement is of the case's account, in its currency, and holds the charge as a line: a
 * withdrawal or a captured hold, of at least the amount disputed.
 * @param {PackageContext} pkg
 */
function checkAccountAndCharge(pkg) {
  const { caseDoc, statement } = pkg;
  if (!caseDoc || !statement) return;
  const fail = (/** @type {string} */ message) => pkg.findings.fail('account', message);
  const account = isObject(statement.account) ? statement.account : {};
  if (account.id !== caseDoc.accountId)
    fail(
      `statement.json is a statement of account ${show(account.id)}, not of the case's account ${show(caseDoc.accountId)}`,
    );
  if (account.currency !== caseDoc.currency)
    fail(
      `statement.json is in ${show(account.currency)}, but the case is in ${show(caseDoc.currency)}`,
    );
  const charge = statementLines(pkg).find((line) => line.event.eventId === caseDoc.chargeEventId);
  if (!charge) {
    const anchor =
      isObject(statement.anchor) && isObject(statement.anchor.event)
        ? statement.anchor.event
        : null;
    fail(
      anchor && anchor.eventId === caseDoc.chargeEventId
        ? `the charge ${show(caseDoc.chargeEventId)} is statement.json's anchor, not one of its lines: the statement must start before the charge`
        : `statement.json has no line for the charge ${show(caseDoc.chargeEventId)}: the statement must start just before the charge`,
    );
    return;
  }
  const name = `statement line ${charge.number} (the charge, event ${show(charge.event.eventId)})`;
  if (!CHARGE_TYPES.has(charge.event.type))
    fail(
      `${name} is a ${show(charge.event.type)}, not a funds_withdrawn or held_funds_captured: it is not a charge`,
    );
  const amount = pkg.fold.amountMinor;
  if (
    amount !== null &&
    isDigits(charge.data.amountMinor) &&
    BigInt(charge.data.amountMinor) < amount
  )
    fail(
      `the case disputes ${money(pkg, amount)}, more than ${name} charged (${money(pkg, BigInt(charge.data.amountMinor))})`,
    );
}

/**
 * The money trail: the statement's lines naming this case agree with the case's events and with
 * case.json. The statement starts just before the charge, so it holds every one of them, as long
 * as it ends after the case's last event.
 * @param {PackageContext} pkg
 */
function checkMoneyTrail(pkg) {
  const { caseDoc, statement, fold, caseId } = pkg;
  if (!caseDoc || !statement || caseId === null) return null;
  const fail = (/** @type {string} */ message) =>
    pkg.findings.fail('money', `money trail: ${message}`);
  const to = instantMicros(statement.to);
  for (const entry of pkg.events) {
    const occurred = instantMicros(entry.event.occurredAt);
    if (to !== null && occurred !== null && occurred > to)
      fail(
        `${caseEventName(entry)} occurred at ${entry.event.occurredAt}, after statement.json's to ${statement.to}: the statement cannot hold the account's side of it`,
      );
  }
  const anchor =
    isObject(statement.anchor) && isObject(statement.anchor.event) ? statement.anchor.event : null;
  if (anchor && isObject(anchor.data) && anchor.data.disputeId === caseId)
    fail(
      `statement.json's anchor is a ${show(anchor.type)} of this case: the statement starts after the case began, so it cannot hold its whole money trail`,
    );

  /** @type {Map<string, {number: number, event: Record<string, any>, data: Record<string, any>}[]>} */
  const trail = new Map([...CASE_ACCOUNT_TYPES].map((type) => [type, []]));
  for (const line of statementLines(pkg)) {
    if (line.data.disputeId !== caseId) continue;
    const lines = trail.get(line.event.type);
    if (!lines) {
      pkg.findings.warn(
        `statement line ${line.number} (${show(line.event.type)}) names this case, but is no account event of a case this verifier knows: not counted`,
      );
      continue;
    }
    lines.push(line);
    if (line.data.chargeEventId !== caseDoc.chargeEventId)
      fail(
        `statement line ${line.number} (${line.event.type}) is about charge ${show(line.data.chargeEventId)}, not the case's charge ${show(caseDoc.chargeEventId)}`,
      );
    if (line.data.currency !== caseDoc.currency)
      fail(
        `statement line ${line.number} (${line.event.type}) is in ${show(line.data.currency)}, not the case's ${show(caseDoc.currency)}`,
      );
  }
  const linesOf = (/** @type {string} */ type) => trail.get(type) ?? [];
  const sum = (/** @type {string} */ type) =>
    linesOf(type).reduce(
      (total, line) =>
        total + (isDigits(line.data.amountMinor) ? BigInt(line.data.amountMinor) : 0n),
      0n,
    );
  const where = (/** @type {string} */ type) => {
    const numbers = linesOf(type).map((line) => line.number);
    return numbers.length === 0
      ? 'there is none'
      : `${numbers.length === 1 ? 'line' : 'lines'} ${formatNumbers(numbers)}`;
  };
  /** The case's side (what its events say) against the sum of one type of line. */
  const agree = (
    /** @type {string} */ caseSide,
    /** @type {bigint} */ expected,
    /** @type {string} */ type,
  ) => {
    const total = sum(type);
    if (total !== expected)
      fail(
        `${caseSide} ${money(pkg, expected)}, but the statement's ${type} lines of this case add up to ${money(pkg, total)} (${where(type)})`,
      );
  };

  const disputed = linesOf('charge_disputed');
  if (disputed.length !== 1)
    fail(
      disputed.length === 0
        ? "statement.json has no charge_disputed line of this case: the account's side of dispute_opened is missing"
        : `statement.json has ${disputed.length} charge_disputed lines of this case (${where('charge_disputed')}): a case disputes its charge once`,
    );
  const [first] = disputed;
  if (first && fold.amountMinor !== null && first.data.amountMinor !== String(fold.amountMinor))
    fail(
      `statement line ${first.number} (charge_disputed) disputes ${show(first.data.amountMinor)} minor units, but ${fold.opened ? caseEventName(fold.opened) : 'dispute_opened'} says ${fold.amountMinor}`,
    );

  agree(
    fold.provisional.length > 0
      ? `${fold.provisional.map(caseEventName).join(', ')} gives provisional credit of`
      : 'the case gives no provisional credit (no dispute_provisional_credit_given):',
    fold.provisionalMinor,
    'provisional_credit_given',
  );
  const resolved = fold.resolved;
  if (resolved) {
    const name = caseEventName(resolved);
    agree(
      `${name} refunds (refundedMinor)`,
      resolvedMinor(fold, 'refundedMinor'),
      'disputed_charge_refunded',
    );
    agree(
      `${name} claws back (clawedBackMinor)`,
      resolvedMinor(fold, 'clawedBackMinor'),
      'provisional_credit_reversed',
    );
    const closed = linesOf('charge_dispute_closed');
    if (closed.length !== 1)
      fail(
        `${name} resolves the case, but the statement has ${closed.length} charge_dispute_closed lines of it (${where('charge_dispute_closed')}), not one`,
      );
    for (const line of closed) {
      if (line.data.outcome !== resolved.data.outcome)
        fail(
          `statement line ${line.number} (charge_dispute_closed) closes the case as ${show(line.data.outcome)}, but ${name} says ${show(resolved.data.outcome)}`,
        );
      if (line.data.outstandingMinor !== resolved.data.outstandingMinor)
        fail(
          `statement line ${line.number} (charge_dispute_closed) leaves ${show(line.data.outstandingMinor)} minor units outstanding, but ${name} says ${show(resolved.data.outstandingMinor)}`,
        );
    }
  } else {
    for (const type of [
      'disputed_charge_refunded',
      'provisional_credit_reversed',
      'charge_dispute_closed',
      'shortfall_collected',
      'shortfall_written_off',
    ])
      for (const line of linesOf(type))
        fail(
          `statement line ${line.number} is a ${type} of this case, but the case has no dispute_resolved`,
        );
  }
  agree(
    fold.writtenOff.length > 0
      ? `${fold.writtenOff.map(caseEventName).join(', ')} ${fold.writtenOff.length === 1 ? 'writes' : 'write'} off`
      : 'the case writes nothing off (no dispute_shortfall_written_off):',
    fold.writtenOffMinor,
    'shortfall_written_off',
  );

  const owed = resolvedMinor(fold, 'outstandingMinor');
  const collected = sum('shortfall_collected');
  const writtenOff = sum('shortfall_written_off');
  const outstanding = owed - collected - writtenOff;
  if (outstanding < 0n)
    fail(
      `the statement collects ${money(pkg, collected)} and writes off ${money(pkg, writtenOff)} of this case, more than the ${money(pkg, owed)} it left outstanding`,
    );
  else if (pkg.exponent !== null) {
    const stated = amountMinor(caseDoc.outstandingAmount, pkg.exponent);
    if (stated !== outstanding)
      pkg.findings.fail(
        'money',
        `case.json: outstandingAmount is ${stated === null ? show(caseDoc.outstandingAmount) : `${caseDoc.outstandingAmount} ${caseDoc.currency}`}, but the case left ${money(pkg, owed)} outstanding${resolved ? ` (${caseEventName(resolved)})` : ' (it is not resolved)'}, less ${money(pkg, collected)} collected and ${money(pkg, writtenOff)} written off in the statement: ${money(pkg, outstanding)}`,
      );
  }
  return {
    provisionalCreditMinor: String(sum('provisional_credit_given')),
    refundedMinor: String(sum('disputed_charge_refunded')),
    clawedBackMinor: String(sum('provisional_credit_reversed')),
    collectedMinor: String(collected),
    writtenOffMinor: String(writtenOff),
    outstandingMinor: String(outstanding),
  };
}

/**
 * The evidence files: each one the manifest lists is in the package, has the SHA-256 the manifest
 * gives, and a dispute_evidence_added of the case records that evidenceId with that hash; each
 * dispute_evidence_added has its file; nothing else sits in evidence/. Returns how many files
 * hold.
 * @param {PackageContext} pkg
 * @param {unknown} manifest
 */
function checkEvidenceFiles(pkg, manifest) {
  const fail = (/** @type {string} */ message) => pkg.findings.fail('evidence', message);
  if (manifest !== undefined && !Array.isArray(manifest)) fail(`${MANIFEST} is not a list`);
  const items = Array.isArray(manifest) ? manifest : [];
  const paths = new Set();
  const ids = new Set();
  let holding = 0;
  items.forEach((item, i) => {
    if (!isObject(item) || typeof item.path !== 'string' || typeof item.evidenceId !== 'string') {
      fail(
        `${MANIFEST}[${i}] ${show(item)} is not {"path", "evidenceId", "sha256", "contentType"}`,
      );
      return;
    }
    const { path: file, evidenceId: id } = item;
    if (paths.has(file)) fail(`${MANIFEST} lists ${file} twice`);
    if (ids.has(id)) fail(`${MANIFEST} lists evidence ${show(id)} twice`);
    paths.add(file);
    ids.add(id);
    const added = pkg.fold.files.get(id) ?? null;
    const bytes = pkg.files.get(file);
    let ok = true;
    const bad = (/** @type {string} */ message) => {
      ok = false;
      fail(message);
    };
    if (!bytes)
      bad(
        `${MANIFEST} lists ${file} (evidence ${show(id)}), which is not in the package: the file is missing`,
      );
    else {
      const actual = sha256Hex(bytes);
      if (actual !== item.sha256)
        bad(
          `${file}: its SHA-256 is ${actual}, not ${show(item.sha256)} as ${MANIFEST} says${added && added.data.sha256 === item.sha256 ? ` and ${caseEventName(added)} records: the file was altered` : ''}`,
        );
      else if (added && added.data.sha256 === actual && added.data.sizeBytes !== bytes.length)
        bad(
          `${file}: it is ${bytes.length} bytes, but ${caseEventName(added)} records sizeBytes ${show(added.data.sizeBytes)}`,
        );
    }
    if (!added)
      bad(
        `${MANIFEST}: ${file} is evidence ${show(id)}, but no dispute_evidence_added of the case records it: nothing vouches for the file`,
      );
    else {
      if (added.data.sha256 !== item.sha256)
        bad(
          `${MANIFEST}: ${file} has SHA-256 ${show(item.sha256)}, but ${caseEventName(added)} records ${show(added.data.sha256)} for evidence ${show(id)}`,
        );
      if ('fileName' in item && item.fileName !== added.data.fileName)
        bad(
          `${MANIFEST}: ${file} is named ${show(item.fileName)}, but ${caseEventName(added)} records ${show(added.data.fileName)}`,
        );
      if ('contentType' in item && item.contentType !== added.data.contentType)
        bad(
          `${MANIFEST}: ${file} has contentType ${show(item.contentType)}, but ${caseEventName(added)} records ${show(added.data.contentType)}`,
        );
    }
    if (ok) holding += 1;
  });
  for (const [id, added] of pkg.fold.files)
    if (!ids.has(id))
      fail(
        `evidence ${show(id)} (${show(added.data.fileName)}, ${caseEventName(added)}) is not in the package: ${MANIFEST} does not list it`,
      );
  for (const name of pkg.files.keys())
    if (name.startsWith('evidence/') && name !== MANIFEST && !paths.has(name))
      fail(`${name} is in the package but not in ${MANIFEST}: nothing vouches for it`);
  return holding;
}

const PACKAGE_CHECKS = /** @type {[string, string][]} */ ([
  ['key', 'public key'],
  ['layout', 'package contents: case.json, statement.json, proofs/, evidence/manifest.json'],
  ['statement', 'statement.json: a valid signed account statement'],
  ['proofs', 'proofs/: every proof document valid, their checkpoints consistent'],
  ['sealed', 'every event of the case sealed in a checkpoint'],
  ['stream', "the proofs are exactly the case's stream: versions 1…n chained, n = case.version"],
  ['case', "case.json agrees with the case's events"],
  ['account', "the statement is of the case's account and holds the charge"],
  ['evidence', 'evidence files: present, their SHA-256 as the manifest and the events record'],
  ['money', "money trail: the statement's lines of the case agree with its events and case.json"],
]);

/**
 * Verifies a dispute case's evidence package (spec §9) from its entries (as readZip or
 * readPackageDirectory return them, or a Map of name to bytes): the statement, every proof and its
 * sealing, that the proofs are exactly the case's stream, that case.json agrees with its events,
 * the charge, the evidence files, and the money trail.
 * @param {PackageEntry[] | Map<string, Uint8Array>} entries
 * @param {unknown} [publicKey] a KeyObject, JWK or key file text; without it the key the
 *   statement embeds is used, with a warning
 * @param {{source?: string}} [options] how the package was read, for the summary
 * @returns {VerificationResult}
 */
export function verifyPackage(entries, publicKey, options = {}) {
  const findings = new Findings('package', PACKAGE_CHECKS);
  const { files, folder, ignored } = packageFiles(entries, findings);
  /** @type {PackageContext} */
  const pkg = {
    findings,
    files,
    caseDoc: null,
    caseId: null,
    statement: null,
    exponent: null,
    events: [],
    fold: /** @type {CaseFold} */ (/** @type {unknown} */ (null)),
  };
  const caseDoc = packageJson(pkg, 'case.json');
  if (caseDoc !== undefined && !isObject(caseDoc))
    findings.fail('layout', 'case.json is not a JSON object');
  if (isObject(caseDoc)) {
    pkg.caseDoc = caseDoc;
    if (typeof caseDoc.id === 'string' && caseDoc.id !== '') pkg.caseId = caseDoc.id;
    else findings.fail('case', `case.json: id ${show(caseDoc.id)} is not a string`);
  }
  const statementDoc = packageJson(pkg, 'statement.json');
  const manifest = packageJson(pkg, MANIFEST);
  for (const name of files.keys())
    if (!/^(README\.txt|case\.json|statement\.json|proofs\/.+|evidence\/.+)$/.test(name))
      findings.warn(`${name} is not part of an evidence package: it was not checked`);

  const key = packageKey(findings, publicKey, statementDoc);
  const statementResult = checkPackageStatement(pkg, statementDoc, key);
  const { provenIn, sealed } = checkPackageProofs(pkg, key);
  checkCaseStream(pkg);
  pkg.fold = foldCase(pkg);
  checkCaseFile(pkg);
  checkAccountAndCharge(pkg);
  const evidenceFiles = checkEvidenceFiles(pkg, manifest);
  const trail = checkMoneyTrail(pkg);

  Object.assign(findings.summary, {
    source: options.source ?? null,
    folder: folder || null,
    ignoredEntries: ignored,
    case: pkg.caseDoc
      ? {
          id: pkg.caseDoc.id ?? null,
          accountId: pkg.caseDoc.accountId ?? null,
          chargeEventId: pkg.caseDoc.chargeEventId ?? null,
          currency: pkg.caseDoc.currency ?? null,
          amount: pkg.caseDoc.amount ?? null,
          reasonCode: pkg.caseDoc.reasonCode ?? null,
          status: pkg.caseDoc.status ?? null,
          outcome: pkg.caseDoc.outcome ?? null,
          version: pkg.caseDoc.version ?? null,
        }
      : null,
    currencyExponent: pkg.exponent,
    events: pkg.events.length,
    sealed,
    notYetSealed: pkg.events.length - sealed,
    provenIn: [...new Set(provenIn)].sort((a, b) => a - b),
    statement: statementResult
      ? {
          valid: statementResult.valid,
          from: statementResult.summary.from ?? null,
          to: statementResult.summary.to ?? null,
          counts: statementResult.summary.counts ?? null,
        }
      : null,
    evidenceFiles,
    money: trail,
  });
  return findings.finish((valid) => {
    const caseName = `dispute ${pkg.caseId ?? show(pkg.caseDoc?.id)}`;
    if (!valid)
      return findings.checks.get('sealed')?.failures === findings.problems.length
        ? `the package of ${caseName} is not fully sealed (${plural(pkg.events.length - sealed, 'event')} of the case newer than the last checkpoint)`
        : '';
    return `evidence package of ${caseName} valid: ${plural(pkg.events.length, 'event')} of the case sealed and chained, its statement valid, ${plural(evidenceFiles, 'evidence file')} matching, money trail agreeing${keyCaveat(findings)}`;
  });
}

/**
 * The verdict on a package that could not be read safely (a PackageFormatError): invalid, with
 * the reason, nothing else checked.
 * @param {string} reason
 * @param {{source?: string}} [options]
 * @returns {VerificationResult}
 */
export function refusedPackage(reason, options = {}) {
  const findings = new Findings('package', [
    ['archive', 'the archive (or directory) can be read safely'],
  ]);
  findings.fail('archive', reason);
  findings.summary.source = options.source ?? null;
  findings.summary.refused = true;
  return findings.finish(() => 'the package was refused, nothing in it was checked');
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
    case 'package':
      return verifyPackage(/** @type {PackageEntry[]} */ (document.value), publicKey);
  }
}

const KIND_NAMES = {
  checkpoints: `checkpoint file (one ${CHECKPOINT_FORMAT} per line)`,
  checkpoint: `signed checkpoint (${CHECKPOINT_FORMAT})`,
  proof: `proof document (${PROOF_FORMAT})`,
  statement: `account statement (${STATEMENT_FORMAT})`,
  package: 'evidence package of a dispute case (case.json, statement.json, proofs/, evidence/)',
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
    case 'package':
      return packageSummaryLines(s);
  }
}

/** @param {Record<string, any>} s the summary of a package */
function packageSummaryLines(s) {
  const read = s.source
    ? [
        `read from a ${s.source}${s.folder ? `, inside its folder ${s.folder}` : ''}${s.ignoredEntries ? `, ${plural(s.ignoredEntries, 'system file')} (.DS_Store, __MACOSX/, …) ignored` : ''}`,
      ]
    : [];
  if (s.refused) return [...read, 'refused: nothing in the package was checked'];
  const c = s.case ?? {};
  const amount = (/** @type {unknown} */ minor) =>
    `${formatMinor(/** @type {string} */ (minor), s.currencyExponent)}`;
  return [
    `case ${plain(c.id)}: account ${plain(c.accountId)}, charge ${plain(c.chargeEventId)}, ${plain(c.amount)} ${plain(c.currency)} (${plain(c.reasonCode)}), status ${plain(c.status)}, version ${plain(c.version)}`,
    `events of the case: ${s.events}, ${s.sealed} sealed${s.provenIn.length > 0 ? ` (in ${checkpointsPhrase(s.provenIn)})` : ''}, ${s.notYetSealed} not yet sealed`,
    s.statement
      ? `statement: ${plain(s.statement.from)} < occurredAt ≤ ${plain(s.statement.to)}, ${plain(s.statement.counts)}`
      : 'statement: none',
    `evidence files: ${s.evidenceFiles} matching the manifest and the case's events`,
    ...(s.money
      ? [
          `money trail (${plain(c.currency)}): provisional credit ${amount(s.money.provisionalCreditMinor)}, refunded ${amount(s.money.refundedMinor)}, clawed back ${amount(s.money.clawedBackMinor)}, collected ${amount(s.money.collectedMinor)}, written off ${amount(s.money.writtenOffMinor)}, outstanding ${amount(s.money.outstandingMinor)}`,
        ]
      : []),
    ...read,
  ];
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
  let input;
  try {
    input = readInput(file);
  } catch (error) {
    io.stderr.write(
      error instanceof UsageError
        ? `chronicle-verify: ${file}: ${errorText(error)}\n`
        : `chronicle-verify: cannot read ${file}: ${errorText(error)}\n`,
    );
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
  } else if (input.kind === 'package') {
    // Without a key, the package is checked against the key its statement embeds and signs, with
    // a warning; a package whose statement embeds none is invalid, not a usage error.
  } else if (input.document.kind === 'checkpoints' || input.document.kind === 'checkpoint') {
    return usage(
      `a ${input.document.kind === 'checkpoints' ? 'checkpoint file' : 'signed checkpoint'} carries no public key: pass Chronicle's key with --public-key (obtain it from ${PUBLIC_KEY_ENDPOINT})`,
    );
  } else {
    const { document } = input;
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
    if (input.kind === 'document') result = verifyDocument(input.document, key);
    else if (input.refused !== undefined)
      result = refusedPackage(input.refused, { source: input.source });
    else result = verifyPackage(input.entries, key, { source: input.source });
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

/**
 * @typedef {{kind: 'document', document: {kind: VerificationResult['kind'], value: unknown}}
 *   | {kind: 'package', source: string, entries: PackageEntry[], refused?: undefined}
 *   | {kind: 'package', source: string, refused: string}} Input
 */

/**
 * What the command line was given: an evidence package (a directory, or a file that starts as a
 * ZIP archive does) or a JSON document. Throws a UsageError for what is neither, I/O errors as
 * they are.
 * @param {string} file
 * @returns {Input}
 */
function readInput(file) {
  if (statSync(file).isDirectory()) {
    if (!existsSync(path.join(file, 'case.json')))
      throw new UsageError(
        'it is a directory without case.json: give an evidence package (its ZIP, or the directory it was unzipped to)',
      );
    return readPackageInput(() => readPackageDirectory(file), 'directory');
  }
  const bytes = readFileSync(file);
  if (isZipArchive(bytes)) return readPackageInput(() => readZip(bytes), 'ZIP archive');
  return {
    kind: 'document',
    document: detectDocument(bytes.toString('utf8'), path.basename(file)),
  };
}

/**
 * A package's entries, or why it was refused (a PackageFormatError: the package is then invalid,
 * exit code 1, not unreadable).
 * @param {() => PackageEntry[]} read
 * @param {'ZIP archive' | 'directory'} kind
 * @returns {Input}
 */
function readPackageInput(read, kind) {
  try {
    const entries = read();
    const deflated = entries.filter((entry) => entry.method === 'deflated').length;
    const source =
      kind === 'directory'
        ? `directory of ${plural(entries.length, 'file')}`
        : `ZIP archive of ${plural(entries.length, 'file')} (${entries.length - deflated} stored, ${deflated} deflated)`;
    return { kind: 'package', source, entries };
  } catch (error) {
    if (error instanceof PackageFormatError)
      return { kind: 'package', source: kind, refused: error.message };
    throw error;
  }
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
