// Reading checkpoints back from the database: the signed document exactly as it was signed (the
// body is stored as the canonical JSON that was hashed), and its leaves.

import type { CheckpointBody, SignedCheckpoint } from '../../evidence/checkpoint';
import type { Queryable } from '../db/pool';

export interface StoredCheckpointRow {
  number: string;
  hash: string;
  body: string;
  signature: string;
}

export const STORED_CHECKPOINT_COLUMNS = 'number::text AS number, hash, body, signature';

export function toSignedCheckpoint(row: StoredCheckpointRow): SignedCheckpoint {
  return {
    checkpoint: JSON.parse(row.body) as CheckpointBody,
    hash: row.hash,
    signature: row.signature,
  };
}

/** Checkpoints after `afterNumber`, in number order, at most `limit`. */
export async function listCheckpoints(options: {
  db: Queryable;
  afterNumber: number;
  limit: number;
}): Promise<SignedCheckpoint[]> {
  const result = await options.db.query<StoredCheckpointRow>(
    `SELECT ${STORED_CHECKPOINT_COLUMNS} FROM checkpoints WHERE checkpoints.number > $1 ORDER BY checkpoints.number LIMIT $2`,
    [options.afterNumber, options.limit],
  );
  return result.rows.map(toSignedCheckpoint);
}

export async function getCheckpoint(options: {
  db: Queryable;
  number: number;
}): Promise<SignedCheckpoint | null> {
  const result = await options.db.query<StoredCheckpointRow>(
    `SELECT ${STORED_CHECKPOINT_COLUMNS} FROM checkpoints WHERE number = $1`,
    [options.number],
  );
  return result.rows[0] ? toSignedCheckpoint(result.rows[0]) : null;
}

export interface StoredLeaves {
  readonly positions: string[];
  readonly hashes: Buffer[];
  readonly streams: string[];
  readonly versions: number[];
}

/** A checkpoint's leaves as stored, in tree order: positions, 32-byte hashes, streams, versions. */
export async function checkpointLeaves(
  db: Queryable,
  number: number,
): Promise<StoredLeaves | null> {
  const result = await db.query<{
    positions: string[];
    hashes: Buffer;
    streams: string[];
    versions: number[];
  }>(
    `SELECT leaf_positions::text[] AS positions, leaf_hashes AS hashes, leaf_streams AS streams,
            leaf_versions AS versions
       FROM checkpoints WHERE number = $1`,
    [number],
  );
  const row = result.rows[0];
  if (!row) return null;
  const hashes: Buffer[] = [];
  for (let offset = 0; offset < row.hashes.length; offset += 32)
    hashes.push(row.hashes.subarray(offset, offset + 32));
  return { positions: row.positions, hashes, streams: row.streams, versions: row.versions };
}
