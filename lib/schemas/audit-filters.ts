// Filters for the audit log and its CSV export, read from URL query parameters.
import { z } from 'zod';
import { ADMIN_EVENT_TYPES } from '../admin/admin-events';
import { EVENT_TYPES } from '../ledger/events';
import { ACCOUNT_ID_PATTERN, hasControlCharacters, isWellFormedText } from '../ledger/limits';

const EARLIEST_INSTANT = new Date('0001-01-01T00:00:00.000Z');
const LATEST_INSTANT = new Date('9999-12-31T23:59:59.999Z');

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
    if (Number.isNaN(instant.getTime()) || !isCalendarDate(value)) {
      context.addIssue({ code: 'custom', message: 'This is not a valid date and time.' });
      return z.NEVER;
    }
    // An offset can carry 0001-01-01 or 9999-12-31 past the four-digit years every answer is
    // written in: refused, rather than answered with a date no client can read back.
    if (instant < EARLIEST_INSTANT || instant > LATEST_INSTANT) {
      context.addIssue({
        code: 'custom',
        message: 'Use an instant between the years 0001 and 9999 (in UTC).',
      });
      return z.NEVER;
    }
    return instant;
  });

/**
 * Whether the date and time fields exist on the calendar. `Date` would quietly roll 2026-02-30
 * over to March 2nd; an auditor asking for February 30th must be told it does not exist.
 */
function isCalendarDate(value: string): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = (value.match(/\d+/g) ?? []).map(
    Number,
  );
  if (year === undefined || month === undefined || day === undefined) return false;
  const isLeapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    year >= 1 &&
    daysInMonth !== undefined &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

export const auditFiltersSchema = z
  .object({
    account: optional(z.string().regex(ACCOUNT_ID_PATTERN, 'Not an account id.')),
    type: optional(
      z.enum([...EVENT_TYPES, ...ADMIN_EVENT_TYPES], { error: 'Unknown event type.' }),
    ),
    actor: optional(
      z
        .string()
        .max(200, 'An actor is at most 200 characters.')
        .refine(isWellFormedText, 'This is not valid Unicode text.')
        .refine((value) => !hasControlCharacters(value), 'This contains control characters.'),
    ),
    from: optional(utcInstantSchema),
    to: optional(utcInstantSchema),
    /** Only what had entered the ledger by this instant: the log as Chronicle showed it then. */
    knownAt: optional(utcInstantSchema),
    /** Only what was in effect by this instant (a correction by its effectiveAt). */
    at: optional(utcInstantSchema),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, {
    message: '"From" is after "to": no event could match.',
    path: ['to'],
  });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;
