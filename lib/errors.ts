// One vocabulary of error codes for the whole application. The domain throws `AppError`s with
// these codes; each edge (HTTP API, server actions, pages) maps a code to a status and a message
// through the table below, so no raw exception text ever reaches a user.
// This module is shared by server and client code: keep it free of Node-only imports.

export const ERROR_CODES = {
  validation_error: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  not_found: { status: 404, title: 'Not found' },
  account_already_exists: { status: 409, title: 'An account with this id already exists' },
  insufficient_funds: { status: 409, title: 'Insufficient funds' },
  account_frozen: { status: 409, title: 'The account is frozen' },
  currency_mismatch: { status: 422, title: 'The currencies do not match' },
  reversal_exceeds_original: {
    status: 409,
    title: 'The reversal exceeds what is left of the charge',
  },
  not_reversible: { status: 422, title: 'This event cannot be reversed' },
  already_frozen: { status: 409, title: 'The account is already frozen' },
  not_frozen: { status: 409, title: 'The account is not frozen' },
  hold_not_active: {
    status: 409,
    title: 'The hold is no longer active (captured, released or expired)',
  },
  capture_exceeds_hold: { status: 409, title: 'The capture exceeds what is left of the hold' },
  invalid_transition: { status: 409, title: 'The dispute case cannot take this step now' },
  dispute_exists: { status: 409, title: 'The charge already has an open dispute' },
  amount_exceeds_reversible: {
    status: 409,
    title: 'The amount exceeds what is still reversible on the charge',
  },
  self_approval_forbidden: {
    status: 403,
    title: 'A request must be decided by someone other than the person who made it',
  },
  correction_breaks_history: {
    status: 409,
    title: 'The correction would have taken a past balance below zero',
  },
  approval_not_pending: { status: 409, title: 'The approval request is no longer pending' },
  nothing_outstanding: { status: 409, title: 'The dispute leaves nothing outstanding' },
  balance_limit_exceeded: { status: 422, title: 'The balance would exceed the supported maximum' },
  concurrency_conflict: { status: 412, title: 'The account changed since you last read it' },
  idempotency_key_reused: {
    status: 422,
    title: 'This idempotency key was already used for a different request',
  },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body is not of a supported type' },
  uri_too_long: { status: 414, title: 'The request URL is too long' },
  rate_limited: { status: 429, title: 'Too many attempts; try again later' },
  integrity_violation: {
    status: 409,
    title: 'The stored history does not add up; Chronicle will not vouch for it',
  },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'A service Chronicle depends on is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Field name → human-readable message, for errors that belong next to a form field. */
export type FieldErrors = Record<string, string>;

/** Where an error records the kinds it is (AppError, ConcurrencyError, …). */
const BRANDS = Symbol.for('chronicle.error.brands');

/**
 * `instanceof` by brand rather than by class identity. Next.js can load a module once per route
 * bundle, so an error thrown by code from one copy (a shared command batcher, say) would not be an
 * instance of another copy's class; the brands, kept under a global symbol, match across copies.
 */
export function brandedInstance(brand: string, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as { [BRANDS]?: Set<string> })[BRANDS];
  return brands instanceof Set && brands.has(brand);
}

export class AppError extends Error {
  /** The brand `instanceof` checks; each subclass declares its own. */
  static readonly brand: string = 'AppError';
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  readonly [BRANDS]: Set<string>;

  constructor(code: ErrorCode, message?: string, options?: { fieldErrors?: FieldErrors }) {
    super(message ?? ERROR_CODES[code].title);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
    // Every class from AppError down to the one constructed brands the instance.
    this[BRANDS] = new Set<string>();
    for (
      let type = new.target as unknown as { brand?: string } | null;
      type && type.brand;
      type = Object.getPrototypeOf(type)
    ) {
      this[BRANDS].add(type.brand);
    }
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstance(this.brand, value);
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A validation error that names the offending field, so forms can show it in place. */
export function fieldError(field: string, message: string): AppError {
  return new AppError('validation_error', message, { fieldErrors: { [field]: message } });
}

/** What a user is told about a failure nobody anticipated: no detail, a reference to quote. */
export function internalErrorMessage(reference: string): string {
  return `${ERROR_CODES.internal_error.title}. Reference: ${reference}.`;
}
