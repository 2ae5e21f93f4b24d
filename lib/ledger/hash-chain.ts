// The per-stream hash chain that makes tampering with stored events detectable. The algorithm is
// written down in docs/decisions/002-hash-chain.md so an auditor can check it with any SHA-256
// and JSON tool; this file is the reference implementation.
//
//   hash(e) = hex(SHA-256(UTF-8(canonicalJson({
//     data, eventId, metadata, occurredAt, prevHash, schemaVersion, streamId, streamVersion, type
//   }))))
//
// prevHash is the hash of the previous event in the same stream, or GENESIS_HASH for version 1.

import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * insignificant whitespace, strings escaped as JSON.stringify does. Numbers must be safe
 * integers (money is never a JSON number here), which keeps the encoding unambiguous.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value))
        throw new TypeError(`canonicalJson: ${value} is not a safe integer`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** An instant as RFC 3339 UTC with exactly six fractional digits: 2026-03-15T14:47:00.000000Z. */
export function canonicalInstant(instant: Date): string {
  return `${instant.toISOString().slice(0, 23)}000Z`;
}

export interface HashedEventFields {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  /** Either a Date or an already canonical instant string (as read back from the database). */
  readonly occurredAt: Date | string;
  readonly prevHash: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function eventHash(fields: HashedEventFields): string {
  return sha256Hex(
    canonicalJson({
      data: fields.data,
      eventId: fields.eventId,
      metadata: fields.metadata,
      occurredAt:
        typeof fields.occurredAt === 'string'
          ? fields.occurredAt
          : canonicalInstant(fields.occurredAt),
      prevHash: fields.prevHash,
      schemaVersion: fields.schemaVersion,
      streamId: fields.streamId,
      streamVersion: fields.streamVersion,
      type: fields.type,
    }),
  );
}
