// Filters for the audit log and its CSV export, read from URL query parameters.
import { z } from 'zod';
import { EVENT_TYPES } from '../ledger/events';
import { ACCOUNT_ID_PATTERN } from '../ledger/limits';

/** An instant written as ISO 8601; a date or time without a zone is taken as UTC. */
export const utcInstantSchema = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?$/,
    'Use ISO 8601, e.g. 2026-03-15T14:47:00Z.',
  )
  .transform((value, context) => {
    let text = value.includes('T') ? value : `${value}T00:00:00`;
    if (!/(Z|[+-]\d{2}:\d{2})$/.test(text)) text = `${text}Z`;
    const instant = new Date(text);
    if (Number.isNaN(instant.getTime())) {
      context.addIssue({ code: 'custom', message: 'This is not a valid date and time.' });
      return z.NEVER;
    }
    return instant;
  });

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

export const auditFiltersSchema = z.object({
  account: optional(z.string().regex(ACCOUNT_ID_PATTERN, 'Not an account id.')),
  type: optional(z.enum(EVENT_TYPES, { error: 'Unknown event type.' })),
  actor: optional(z.string().max(200)),
  from: optional(utcInstantSchema),
  to: optional(utcInstantSchema),
});

export type AuditFilters = z.infer<typeof auditFiltersSchema>;
