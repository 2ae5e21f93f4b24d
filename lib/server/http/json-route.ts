// Error mapping for the back office's own JSON routes (the slider, timeline paging, exports):
// typed errors become { error: { code, message } } with the code's status; anything else is
// logged with a reference and answered with a generic 500.

import { randomUUID } from 'node:crypto';
import { AppError, ERROR_CODES } from '../../errors';
import { ACCOUNT_ID_PATTERN } from '../../ledger/limits';

export async function jsonRoute(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) {
      return Response.json(
        { error: { code: error.code, message: error.message, fields: error.fieldErrors } },
        { status: error.status },
      );
    }
    const reference = randomUUID();
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'route failed',
        reference,
        error: error instanceof Error ? error.stack : String(error),
      }),
    );
    return Response.json(
      {
        error: {
          code: 'internal_error',
          message: `${ERROR_CODES.internal_error.title}. Reference: ${reference}.`,
        },
      },
      { status: 500 },
    );
  }
}

/** The `[id]` of an account route, refused as not found when it cannot be an account id. */
export function accountRouteParam(id: string): string {
  if (!ACCOUNT_ID_PATTERN.test(id)) throw new AppError('not_found', 'No account has this id.');
  return id;
}
