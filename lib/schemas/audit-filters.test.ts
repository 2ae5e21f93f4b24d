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

  it('refuses instants an offset carries outside the years 0001 to 9999', () => {
    expect(utcInstantSchema.parse('0001-01-01T00:00:00Z').toISOString()).toBe(
      '0001-01-01T00:00:00.000Z',
    );
    expect(utcInstantSchema.safeParse('0001-01-01T00:30:00+01:00').error?.issues[0]?.message).toBe(
      'Use an instant between the years 0001 and 9999 (in UTC).',
    );
    expect(utcInstantSchema.safeParse('9999-12-31T23:30:00-01:00').success).toBe(false);
    expect(utcInstantSchema.safeParse('0000-06-01').success).toBe(false);
  });

  it('refuses control characters in the actor and a range that ends before it starts', () => {
    expect(auditFiltersSchema.safeParse({ actor: 'user:\u0000x' }).error?.issues[0]?.message).toBe(
      'This contains control characters.',
    );
    expect(
      auditFiltersSchema.safeParse({ from: '2026-03-16', to: '2026-03-15' }).error?.issues[0],
    ).toMatchObject({ path: ['to'], message: '"From" is after "to": no event could match.' });
    expect(auditFiltersSchema.parse({ from: '2026-03-15', to: '2026-03-15' })).toMatchObject({
      from: new Date('2026-03-15T00:00:00Z'),
    });
  });

  it('treats empty fields as absent and refuses unknown types', () => {
    expect(auditFiltersSchema.parse({ account: '', type: '', actor: '' })).toEqual({});
    expect(auditFiltersSchema.safeParse({ type: 'money_printed' }).success).toBe(false);
  });
});
