// Building blocks of the event schemas. Every aggregate's events are described with these, so that
// all of them store amounts, currencies and instants the same way: amounts as strings of minor
// units, instants as ISO 8601 UTC with milliseconds.

import { z } from 'zod';
import { isCurrencyCode, type CurrencyCode } from './currencies';

export const currencyCode = z
  .string()
  .refine(isCurrencyCode, 'unknown currency') as unknown as z.ZodType<CurrencyCode>;

export const minorUnits = z
  .string()
  .regex(/^(0|[1-9]\d*)$/, 'minor units must be a non-negative integer string')
  .transform((digits) => BigInt(digits));

export const text = z.string();

/** An instant as stored: `2026-03-15T14:47:00.000Z`; a Date in the domain. */
export const storedInstant = z.iso
  .datetime({ precision: 3 })
  .transform((value) => new Date(value)) as unknown as z.ZodType<Date, string>;

export function eventSchema<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ type: z.literal(type), schemaVersion: z.literal(1), data });
}
