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
  balance_limit_exceeded: { status: 422, title: 'The balance would exceed the supported maximum' },
  concurrency_conflict: { status: 412, title: 'The account changed since you last read it' },
  idempotency_key_reused: {
    status: 422,
    title: 'This idempotency key was already used for a different request',
  },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json' },
  rate_limited: { status: 429, title: 'Too many attempts; try again later' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'A service Chronicle depends on is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Field name → human-readable message, for errors that belong next to a form field. */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;

  constructor(code: ErrorCode, message?: string, options?: { fieldErrors?: FieldErrors }) {
    super(message ?? ERROR_CODES[code].title);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
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
