import { describe, expect, it } from 'vitest';
import { AppError, brandedInstance } from './errors';
import { ConcurrencyError } from './server/event-store/event-store-errors';

describe('AppError', () => {
  it('is recognised by brand, so copies of the module loaded by different bundles agree', () => {
    const error = new AppError('insufficient_funds', 'no money');
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof ConcurrencyError).toBe(false);
    expect(brandedInstance('AppError', error)).toBe(true);

    const conflict = new ConcurrencyError('account-a', 1, 2);
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict).toBeInstanceOf(ConcurrencyError);
    expect(conflict.status).toBe(412);

    // What another bundle's copy of the class would see: a different class, the same brands.
    class OtherCopyOfAppError extends Error {
      static readonly brand = 'AppError';
      static override [Symbol.hasInstance](value: unknown) {
        return brandedInstance(this.brand, value);
      }
    }
    expect(conflict instanceof OtherCopyOfAppError).toBe(true);
    expect(new Error('plain') instanceof OtherCopyOfAppError).toBe(false);
    expect((null as unknown as object) instanceof AppError).toBe(false);
  });
});
