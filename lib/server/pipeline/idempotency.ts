// Idempotency keys: a retried request with the same key and the same input gets the first
// result back and writes nothing; the same key with different input is refused.
//
// The key is looked up in the same statement that locks the command's accounts, and stored with
// its result in the command's own transaction. Two requests with one key either touch the same
// accounts (then the account locks serialize them, and the second finds the first's key) or
// different ones (then the primary key on (scope, key) lets only one commit, and the other rolls
// back and answers from what the first stored). Refused commands store nothing, so a client may
// retry them once it has fixed the cause (docs/decisions/004-idempotency.md).

import { AppError } from '../../errors';
import { canonicalJson, sha256Hex } from '../../ledger/hash-chain';
import { namedStatement, type Queryable } from '../db/pool';

import { IDEMPOTENCY_KEY_PATTERN } from '../../ledger/limits';

export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  readonly requestHash: string;
}

/** What an earlier request with the same key stored. */
export interface StoredRequest {
  readonly requestHash: string;
  readonly result: unknown;
}

export function assertIdempotencyKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new AppError(
      'validation_error',
      'An idempotency key of 1 to 255 visible ASCII characters is required.',
      {
        fieldErrors: { idempotencyKey: 'Send 1 to 255 visible ASCII characters, such as a UUID.' },
      },
    );
  }
}

/** The fingerprint of a request's input: what "the same request" means for a key. */
export function requestFingerprint(operation: string, input: unknown): string {
  return sha256Hex(canonicalJson({ operation, input: JSON.parse(JSON.stringify(input ?? null)) }));
}

/** The stored result when `stored` is the same request; an error when it is a different one. */
export function storedResultFor(claim: IdempotencyClaim, stored: StoredRequest): unknown {
  if (stored.requestHash !== claim.requestHash) {
    throw new AppError(
      'idempotency_key_reused',
      'This idempotency key was already used with a different request. Use a new key for a new request.',
    );
  }
  return stored.result;
}

const selectKey = namedStatement<{ request_hash: string; result: unknown }>(
  'select_idempotency_key',
  'SELECT request_hash, result FROM idempotency_keys WHERE scope = $1 AND key = $2',
);

export async function findStoredRequest(
  db: Queryable,
  claim: IdempotencyClaim,
): Promise<StoredRequest | null> {
  const row = (await selectKey(db, [claim.scope, claim.key])).rows[0];
  return row ? { requestHash: row.request_hash, result: row.result } : null;
}

const insertKey = namedStatement(
  'insert_idempotency_key',
  `INSERT INTO idempotency_keys (scope, key, request_hash, result) VALUES ($1, $2, $3, $4)
   ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
);

/** Stores the key with its result; false when another transaction committed the key first. */
export async function storeRequest(
  db: Queryable,
  claim: IdempotencyClaim,
  result: unknown,
): Promise<boolean> {
  const inserted = await insertKey(db, [
    claim.scope,
    claim.key,
    claim.requestHash,
    JSON.stringify(result),
  ]);
  return inserted.rowCount === 1;
}

const insertKeys = namedStatement(
  'insert_idempotency_keys',
  `INSERT INTO idempotency_keys (scope, key, request_hash, result)
   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::json[])
   ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
);

/** Stores several keys with their results; false when any of them was taken meanwhile. */
export async function storeRequests(
  db: Queryable,
  entries: ReadonlyArray<{ claim: IdempotencyClaim; result: unknown }>,
): Promise<boolean> {
  if (entries.length === 0) return true;
  const inserted = await insertKeys(db, [
    entries.map((entry) => entry.claim.scope),
    entries.map((entry) => entry.claim.key),
    entries.map((entry) => entry.claim.requestHash),
    entries.map((entry) => JSON.stringify(entry.result)),
  ]);
  return inserted.rowCount === entries.length;
}

/** One string per (scope, key), for maps and sets. */
export function claimId(claim: Pick<IdempotencyClaim, 'scope' | 'key'>): string {
  return `${claim.scope}\u0000${claim.key}`;
}
