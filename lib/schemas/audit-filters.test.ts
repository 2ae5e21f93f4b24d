import { describe, expect, it } from 'vitest';
import { auditFiltersSchema, utcInstantSchema } from './audit-filters';

describe('audit filters', () => {
  it('reads instants as UTC unless they carry a zone', () => {
    expect(utcInstantSchema.parse('2026-03-15').toISOString()).toBe('2026-03-15T00:00:00.000Z');
    expect(utcInstantSchema.parse('2026-03-15T14:47').toISOString()).toBe(
      '2026-03-15T14:47:00.000Z',
    );
    expect(utcInstantSchema.parse('2026-03-15T14:47:00+02:00').toISOString()).toBe(
      '2026-03-15T12:47:00.000Z',
    );
    expect(utcInstantSchema.safeParse('15/03/2026').success).toBe(false);
    expect(utcInstantSchema.safeParse('2026-13-45').success).toBe(false);
  });

  it('treats empty fields as absent and refuses unknown types', () => {
    expect(auditFiltersSchema.parse({ account: '', type: '', actor: '' })).toEqual({});
    expect(auditFiltersSchema.safeParse({ type: 'money_printed' }).success).toBe(false);
  });
});
