// Idempotency keys: a retried request with the same key and the same input gets the first
// result back and writes nothing; the same key with different input is refused.
//
// The key row is inserted at the start of the command's own transaction. A concurrent duplicate
// blocks on that row's unique index until the first transaction ends: if it committed, the
// duplicate reads the stored result; if it rolled back (the command was refused), the key is
// free again and the duplicate runs the command itself. Refused commands therefore store
// nothing, and a client may retry them after fixing the cause (docs/decisions/004-idempotency.md).

import { AppError } from '../../errors';
import { canonicalJson, sha256Hex } from '../../ledger/hash-chain';
import type { PoolClient } from '../db/pool';

/** 1 to 255 visible ASCII characters, as for Stripe's and the IETF draft's Idempotency-Key. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function assertIdempotencyKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new AppError('validation_error', 'An idempotency key of 1 to 255 visible ASCII characters is required.', {
      fieldErrors: { idempotencyKey: 'Send 1 to 255 visible ASCII characters, such as a UUID.' },
    });
  }
}

/** The fingerprint of a request's input: what "the same request" means for a key. */
export function requestFingerprint(operation: string, input: unknown): string {
  return sha256Hex(canonicalJson({ operation, input: JSON.parse(JSON.stringify(input ?? null)) }));
}

export type ClaimOutcome = { status: 'claimed' } | { status: 'replay'; result: unknown };

export async function claimIdempotencyKey(
  tx: PoolClient,
  claim: { scope: string; key: string; requestHash: string },
): Promise<ClaimOutcome> {
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
    [claim.scope, claim.key, claim.requestHash],
  );
  if (inserted.rowCount === 1) return { status: 'claimed' };
  const existing = await tx.query<{ request_hash: string; result: unknown }>(
    'SELECT request_hash, result FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [claim.scope, claim.key],
  );
  const row = existing.rows[0];
  if (!row || row.result === null) {
    // Only possible if the row vanished or was committed without a result; neither should
    // happen, and retrying is the safe answer.
    throw new AppError('concurrency_conflict', 'The same request is still being processed; retry shortly.');
  }
  if (row.request_hash !== claim.requestHash) {
    throw new AppError(
      'idempotency_key_reused',
      'This idempotency key was already used with a different request. Use a new key for a new request.',
    );
  }
  return { status: 'replay', result: row.result };
}

export async function storeIdempotentResult(
  tx: PoolClient,
  claim: { scope: string; key: string },
  result: unknown,
): Promise<void> {
  await tx.query('UPDATE idempotency_keys SET result = $3 WHERE scope = $1 AND key = $2', [
    claim.scope,
    claim.key,
    JSON.stringify(result),
  ]);
}
