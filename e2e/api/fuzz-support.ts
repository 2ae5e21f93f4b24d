// What the fuzz tests share: hostile values, their encoding on the wire, and a fingerprint of
// everything a request could write, to prove a refused request wrote nothing.

import fc from 'fast-check';
import { getPool } from '../../lib/server/db/pool';

/** Strings an attacker or a buggy client would try in any field. */
const HOSTILE = [
  '',
  ' ',
  '0',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '0x10',
  '2147483648',
  '3000000000',
  '9223372036854775807',
  '9223372036854775808',
  '9999999999999999999',
  '99999999999999999999999999',
  '-9223372036854775809',
  '\ud800x',
  'x\udfff',
  '\udc00\ud800',
  '\u0000',
  'a\u0007b',
  "'; DROP TABLE events; --",
  '../../etc/passwd',
  'null',
  'true',
  '[]',
  '{}',
  '2026-02-30',
  '0000-00-00',
  '2026-13-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0001-01-01',
  '1-1',
  '99999999999999999999-1',
  '18446744073709551616-1',
  'a'.repeat(5_000),
  '😀'.repeat(50),
];

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
export const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: codeUnit, maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
);
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, 0, -1, 1e308, 2 ** 53 + 1),
);

/**
 * A URL component, percent-encoded. Lone surrogates cannot be encoded as UTF-8, so they go out as
 * the invalid UTF-8 bytes a hostile client would send instead.
 */
export function encodeComponent(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    out +=
      char.length === 1 && code >= 0xd800 && code <= 0xdfff
        ? `%ED%${(0xa0 + ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (code & 0x3f)).toString(16).toUpperCase()}`
        : encodeURIComponent(char);
  }
  return out;
}

/** Header values must be visible Latin-1 for the HTTP client to send them at all. */
export const headerText = hostileText.map((value) =>
  value.replace(/[^\x20-\x7e]/g, '?').slice(0, 300),
);

/** Counts of every table a request could write to, and the money: equal before and after means no write. */
export async function ledgerCounts(): Promise<string> {
  const result = await getPool().query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM accounts) AS accounts,
            (SELECT count(*) FROM balance_history) AS balance_history, (SELECT count(*) FROM charges) AS charges,
            (SELECT count(*) FROM idempotency_keys) AS idempotency_keys, (SELECT count(*) FROM users) AS users,
            (SELECT count(*) FROM api_keys) AS api_keys, (SELECT count(*) FROM holds) AS holds,
            (SELECT count(*) FROM hold_history) AS hold_history,
            (SELECT count(*) FROM disputes) AS disputes, (SELECT count(*) FROM dispute_files) AS dispute_files,
            (SELECT count(*) FROM approval_requests) AS approval_requests,
            (SELECT count(*) FROM balance_corrections) AS balance_corrections,
            (SELECT coalesce(sum(remaining_minor), 0) FROM account_holds) AS held,
            (SELECT coalesce(sum(balance_minor), 0) FROM accounts) AS money`,
  );
  return JSON.stringify(result.rows[0]);
}
