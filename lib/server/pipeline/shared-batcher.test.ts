import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { ConcurrencyError } from '../event-store/event-store-errors';
import { decodeError, encodeError } from './shared-batcher';

// What crosses the workers' IPC channel must come back as the error it was: the edges map the
// class and code to a status and message.
const roundTrip = (error: unknown) => decodeError(structuredClone(encodeError(error)));

describe('errors from the shared batcher', () => {
  it('come back as the AppError they were, field errors included', () => {
    const back = roundTrip(
      new AppError('insufficient_funds', 'Not enough money.', {
        fieldErrors: { amount: 'Too much.' },
      }),
    );
    expect(back).toBeInstanceOf(AppError);
    expect(back).toMatchObject({
      code: 'insufficient_funds',
      message: 'Not enough money.',
      fieldErrors: { amount: 'Too much.' },
    });
  });

  it('come back as a ConcurrencyError with its versions', () => {
    const back = roundTrip(new ConcurrencyError('account-a', 3, 5));
    expect(back).toBeInstanceOf(ConcurrencyError);
    expect(back).toMatchObject({
      code: 'concurrency_conflict',
      streamId: 'account-a',
      expectedVersion: 3,
      actualVersion: 5,
    });
  });

  it('keep an unexpected failure unexpected: a plain Error, never an AppError', () => {
    const back = roundTrip(new TypeError('x is undefined'));
    expect(back).not.toBeInstanceOf(AppError);
    expect(back.message).toContain('x is undefined');
  });
});
