// Error mapping for the back office's own JSON routes (the slider, timeline paging, exports):
// typed errors become { error: { code, message } } with the code's status; anything else is
// logged with a reference and answered with a generic 500.

import type { z } from 'zod';
import { AppError, internalErrorMessage } from '../../errors';
import { logUnexpectedError } from '../log';

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
    const reference = logUnexpectedError('route failed', error);
    return Response.json(
      { error: { code: 'internal_error', message: internalErrorMessage(reference) } },
      { status: 500 },
    );
  }
}

/**
 * The request's query parameters, validated by `schema`. Invalid ones are a validation_error
 * saying `message`, or else what is wrong with the first of them.
 */
export function readQuery<S extends z.ZodType>(
  request: Request,
  schema: S,
  message?: string,
): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (parsed.success) return parsed.data;
  throw new AppError(
    'validation_error',
    message ?? parsed.error.issues[0]?.message ?? 'The query is not valid.',
  );
}
