// Sealing: the events committed since the last checkpoint, in commit-safe order, become the next
// checkpoint — their Merkle tree head, the head of every stream they touch and the previous
// checkpoint's hash, signed. One sealer at a time across app instances (an advisory lock), and
// the number is the primary key: checkpoints are numbered without gaps or duplicates.

import { sign } from 'node:crypto';
import {
  CHECKPOINT_FORMAT,
  NO_PREVIOUS_CHECKPOINT,
  checkpointBytes,
  checkpointHash,
  leafHashOf,
  type CheckpointBody,
  type SealedLeaf,
  type SignedCheckpoint,
  type StreamHeadEntry,
} from '../../evidence/checkpoint';
import { merkleRoot } from '../../evidence/merkle';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/advisory-lock';
import { transactionOn, type Pool, type PoolClient } from '../db/pool';
import type { SigningKey } from './signing-key';

/** An instant as the evidence formats write it, from the database with its microseconds. */
export const CANONICAL_INSTANT_SQL = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface UnsealedRow {
  global_position: string;
  transaction_id: string;
  hash: string;
  stream_id: string;
  stream_version: number;
  recorded_at: string;
}

/** The end of the last checkpoint: where sealing goes on from. */
export async function lastCheckpointEnd(db: PoolClient | Pool): Promise<{
  number: number;
  hash: string;
  transactionId: string;
  globalPosition: string;
}> {
  const last = await db.query<{
    number: string;
    hash: string;
    through_transaction: string;
    through_position: string;
  }>(
    `SELECT number::text AS number, hash, through_transaction::text AS through_transaction,
            through_position::text AS through_position
       FROM checkpoints ORDER BY checkpoints.number DESC LIMIT 1`,
  );
  const row = last.rows[0];
  return row
    ? {
        number: Number(row.number),
        hash: row.hash,
        transactionId: row.through_transaction,
        globalPosition: row.through_position,
      }
    : { number: 0, hash: NO_PREVIOUS_CHECKPOINT, transactionId: '0', globalPosition: '0' };
}

/** The committed events not sealed yet, oldest first in commit-safe order (at most `limit`). */
export function unsealedEvents(
  db: PoolClient | Pool,
  after: { transactionId: string; globalPosition: string },
  limit: number,
) {
  return db.query<UnsealedRow>(
    `SELECT global_position::text AS global_position, transaction_id::text AS transaction_id, hash,
            stream_id, stream_version, ${CANONICAL_INSTANT_SQL('recorded_at')} AS recorded_at
       FROM events
      WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      -- Qualified: the bare names would sort by the text columns selected under them.
      ORDER BY events.transaction_id, events.global_position
      LIMIT $3`,
    [after.transactionId, after.globalPosition, limit],
  );
}

/**
 * Seals the next checkpoint over at most `maxEvents` unsealed events. Null when there is nothing
 * to seal, or another instance is sealing right now.
 */
export async function sealNextCheckpoint(
  db: Pool,
  key: SigningKey,
  options: { maxEvents: number },
): Promise<SignedCheckpoint | null> {
  const outcome = await withAdvisoryLock(db, ADVISORY_LOCKS.checkpointSeal, (client) =>
    transactionOn(client, (tx) => seal(tx, key, options.maxEvents)),
  );
  return outcome.locked ? outcome.value : null;
}

async function seal(
  tx: PoolClient,
  key: SigningKey,
  maxEvents: number,
): Promise<SignedCheckpoint | null> {
  const previous = await lastCheckpointEnd(tx);
  const rows = (await unsealedEvents(tx, previous, maxEvents)).rows;
  const last = rows[rows.length - 1];
  if (!last) return null;

  const leaves: SealedLeaf[] = rows.map((row) => ({
    eventHash: row.hash,
    globalPosition: row.global_position,
    recordedAt: row.recorded_at,
  }));
  const leafHashes = leaves.map(leafHashOf);
  const heads = new Map<string, StreamHeadEntry>();
  for (const row of rows)
    heads.set(row.stream_id, {
      streamId: row.stream_id,
      version: row.stream_version,
      hash: row.hash,
    });
  const clock = await tx.query<{ now: string }>(
    `SELECT ${CANONICAL_INSTANT_SQL('clock_timestamp()')} AS now`,
  );
  const body: CheckpointBody = {
    format: CHECKPOINT_FORMAT,
    number: previous.number + 1,
    previousHash: previous.hash,
    through: { transactionId: last.transaction_id, globalPosition: last.global_position },
    eventCount: rows.length,
    merkleRoot: merkleRoot(leafHashes).toString('hex'),
    // Sorted by UTF-16 code units, as the format says (the default order of JavaScript strings).
    streamHeads: [...heads.values()].sort((a, b) =>
      a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0,
    ),
    sealedAt: clock.rows[0]?.now as string,
    keyId: key.keyId,
  };
  const bytes = checkpointBytes(body);
  const signed: SignedCheckpoint = {
    checkpoint: body,
    hash: checkpointHash(body),
    signature: sign(null, bytes, key.privateKey).toString('base64'),
  };
  await tx.query(
    `INSERT INTO checkpoints (number, hash, body, signature, key_id, through_transaction, through_position,
                              event_count, leaf_positions, leaf_hashes, leaf_streams, leaf_versions, sealed_at)
     VALUES ($1, $2, $3, $4, $5, $6::text::xid8, $7, $8, $9::bigint[], $10, $11::text[], $12::int[], $13)`,
    [
      body.number,
      signed.hash,
      bytes.toString('utf8'),
      signed.signature,
      key.keyId,
      last.transaction_id,
      last.global_position,
      rows.length,
      rows.map((row) => row.global_position),
      Buffer.concat(leafHashes),
      rows.map((row) => row.stream_id),
      rows.map((row) => row.stream_version),
      body.sealedAt,
    ],
  );
  return signed;
}
