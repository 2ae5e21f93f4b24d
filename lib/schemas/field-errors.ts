import type { z } from 'zod';
import type { FieldErrors } from '../errors';

/**
 * Field → its first message, for a zod error. Unknown fields are named one by one; issues about
 * the input as a whole are filed under `wholeInput` ("form", "body").
 */
export function zodFieldErrors(error: z.ZodError, wholeInput: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const prefix = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors[prefix ? `${prefix}.${key}` : key] = 'Unknown field.';
    } else {
      errors[prefix || wholeInput] ??= issue.message;
    }
  }
  return errors;
}
