// Bounds on every free-text and identifier field the ledger accepts. The same numbers feed the
// zod schemas at the edges, so a form, the HTTP API and the decider agree on what is valid.

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ACCOUNT_ID_MAX_LENGTH = 64;
export const OWNER_ID_MAX_LENGTH = 128;
export const REFERENCE_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;

/** 1 to 255 visible ASCII characters, as for Stripe's and the IETF draft's Idempotency-Key. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Event ids are UUIDs (version 7 when Chronicle makes them). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
