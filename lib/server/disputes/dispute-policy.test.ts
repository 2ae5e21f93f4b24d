// CHRONICLE_DISPUTE_DUE_DAYS as an operator writes it: overrides for some reasons on top of the
// defaults, and a typed refusal naming the entry for anything that is not <reason>=<1..365>.

import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { DEFAULT_DUE_DAYS, MAX_DUE_DAYS } from '../../ledger/dispute/dispute-rules';
import { parseDueDaysPolicy } from './dispute-policy';

function refusal(text: string): AppError {
  try {
    parseDueDaysPolicy(text);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe('CHRONICLE_DISPUTE_DUE_DAYS', () => {
  it('unset, empty or only separators: the defaults', () => {
    expect(parseDueDaysPolicy(undefined)).toEqual(DEFAULT_DUE_DAYS);
    expect(parseDueDaysPolicy('')).toEqual(DEFAULT_DUE_DAYS);
    expect(parseDueDaysPolicy(' , ,')).toEqual(DEFAULT_DUE_DAYS);
  });

  it('overrides only the reasons it names, spaces around entries allowed, 1 and 365 included', () => {
    expect(parseDueDaysPolicy('fraudulent=45, duplicate=10')).toEqual({
      ...DEFAULT_DUE_DAYS,
      fraudulent: 45,
      duplicate: 10,
    });
    expect(parseDueDaysPolicy(`general=1,unrecognized=${MAX_DUE_DAYS}`)).toEqual({
      ...DEFAULT_DUE_DAYS,
      general: 1,
      unrecognized: MAX_DUE_DAYS,
    });
    // The defaults themselves are never changed by a parse.
    expect(DEFAULT_DUE_DAYS.fraudulent).toBe(30);
  });

  it('refuses a reason it does not know, naming the entry and the known reasons', () => {
    for (const text of ['chargeback=10', 'Fraudulent=10', 'fraudulent=10,toString=5']) {
      const error = refusal(text);
      expect(error.code).toBe('validation_error');
      expect(error.message).toContain('CHRONICLE_DISPUTE_DUE_DAYS');
      expect(error.message).toContain('fraudulent, duplicate, product_not_received');
    }
    expect(refusal('duplicate=7,chargeback=10').message).toContain('"chargeback=10"');
  });

  it('refuses days that are not a whole number from 1 to 365', () => {
    for (const entry of [
      'fraudulent=0',
      'fraudulent=000',
      'fraudulent=-5',
      'fraudulent=1.5',
      'fraudulent=1e2',
      'fraudulent=ten',
      'fraudulent=',
      'fraudulent=366',
      'fraudulent=1000',
      'fraudulent= 10',
      'fraudulent',
      '=10',
    ]) {
      const error = refusal(entry);
      expect(error.code).toBe('validation_error');
      expect(error.message).toContain(
        `"${entry.trim()}" is not <reason>=<1..${MAX_DUE_DAYS} days>`,
      );
    }
  });

  it('refuses a reason named twice rather than letting one of them win', () => {
    for (const text of ['duplicate=10,duplicate=40', 'duplicate=10,fraudulent=5,duplicate=10']) {
      const error = refusal(text);
      expect(error.code).toBe('validation_error');
      expect(error.message).toContain('duplicate is named twice');
    }
  });
});
