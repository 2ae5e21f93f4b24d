// Bounds on every free-text and identifier field the ledger accepts. The same numbers feed the
// zod schemas at the edges, so a form, the HTTP API and the decider agree on what is valid.

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ACCOUNT_ID_MAX_LENGTH = 64;
export const OWNER_ID_MAX_LENGTH = 128;
export const REFERENCE_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;

/** The longest a hold may be placed for: a card authorisation lasts days, a hotel's up to a month. */
export const MAX_HOLD_DAYS = 90;

/** 1 to 255 visible ASCII characters, as for Stripe's and the IETF draft's Idempotency-Key. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Event ids are UUIDs (version 7 when Chronicle makes them). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The largest values PostgreSQL's integer and bigint columns hold (stream versions, positions). */
export const MAX_INT32 = 2_147_483_647;
export const MAX_INT64 = 9_223_372_036_854_775_807n;

/**
 * False when `value` holds a lone UTF-16 surrogate: such a string has no UTF-8 form, so
 * PostgreSQL refuses it in JSON and a driver would silently replace it in text. Refused at every
 * edge, and again by the decider.
 */
export function isWellFormedText(value: string): boolean {
  // With the u flag a surrogate pair is one code point, so \p{Cs} only matches unpaired halves.
  return !/\p{Cs}/u.test(value);
}

/**
 * True when `value` holds a control character other than tab, line feed or carriage return.
 * PostgreSQL cannot store NUL in text at all; the others have no business in names, references or
 * search text and make exports and logs lie about what they show.
 */
export function hasControlCharacters(value: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}
