import { AppError } from '../../errors';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';

/** The error for an account id that names no account. */
export function accountNotFound(accountId: string): AppError {
  return new AppError('not_found', `No account has the id "${accountId.slice(0, 80)}".`);
}

/** The `[id]` segment of an account route. An id that cannot exist is simply not found. */
export function accountIdParam(id: string | undefined): string {
  if (id === undefined || !ACCOUNT_ID_PATTERN.test(id)) throw accountNotFound(id ?? '');
  return id;
}
