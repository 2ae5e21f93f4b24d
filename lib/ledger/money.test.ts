import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  MAX_AMOUNT_MINOR,
  formatAmount,
  formatSignedAmount,
  parseAmount,
  parseNonNegativeAmount,
} from './money';

function parseError(input: unknown, currency = 'USD'): AppError {
  try {
    parseAmount(input, currency);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${String(input)} to be refused`);
}

describe('parseAmount', () => {
  it.each([
    ['12.34', 'USD', 1234n],
    ['12.3', 'USD', 1230n],
    ['12', 'USD', 1200n],
    ['0.01', 'USD', 1n],
    ['5', 'JPY', 5n],
    ['1.234', 'BHD', 1234n],
    ['0.001', 'BHD', 1n],
    ['60000.00', 'USD', 6_000_000n],
    ['0012.50', 'USD', 1250n],
  ])('reads %s %s as %s minor units', (input, currency, expected) => {
    expect(parseAmount(input, currency)).toBe(expected);
  });

  it('accepts exactly the documented maximum and refuses one minor unit more', () => {
    expect(parseAmount('10000000000000.00', 'USD')).toBe(MAX_AMOUNT_MINOR);
    expect(parseError('10000000000000.01').message).toMatch(/maximum/);
  });

  it.each([
    [12.34, /decimal string/],
    ['NaN', /decimal number/],
    ['Infinity', /decimal number/],
    ['1e3', /exponent/],
    ['1E-2', /exponent/],
    ['-5', /negative/],
    ['-0.01', /negative/],
    ['0', /greater than zero/],
    ['0.00', /greater than zero/],
    ['0.001', /at most 2 decimal places/],
    ['1.000', /at most 2 decimal places/],
    ['99999999999999999999999', /maximum/],
    ['1,000.00', /thousands separators/],
    ['', /decimal number/],
    [' 5', /decimal number/],
    ['5.', /decimal number/],
    ['.5', /decimal number/],
    ['+5', /decimal number/],
    ['0x10', /decimal number/],
    [null, /decimal string/],
  ])('refuses %j with a clear message', (input, message) => {
    const error = parseError(input);
    expect(error.code).toBe('validation_error');
    expect(error.message).toMatch(message);
    expect(error.fieldErrors).toHaveProperty('amount');
  });

  it('refuses decimals for zero-exponent currencies', () => {
    expect(parseError('5.5', 'JPY').message).toMatch(/whole numbers/);
  });

  it('refuses unknown currencies', () => {
    const error = parseError('5', 'XYZ');
    expect(error.message).toMatch(/Unknown currency/);
    expect(error.fieldErrors).toHaveProperty('currency');
  });

  it('lets opening balances be zero', () => {
    expect(parseNonNegativeAmount('0', 'USD')).toBe(0n);
  });
});

describe('formatAmount', () => {
  it.each([
    [10500n, 'USD', '105.00'],
    [5n, 'JPY', '5'],
    [1n, 'USD', '0.01'],
    [1234n, 'BHD', '1.234'],
    [-250n, 'USD', '-2.50'],
    [0n, 'USD', '0.00'],
  ] as const)('formats %s %s as %s', (minor, currency, expected) => {
    expect(formatAmount(minor, currency)).toBe(expected);
  });

  it('groups thousands only when asked', () => {
    expect(formatAmount(123456789n, 'USD')).toBe('1234567.89');
    expect(formatAmount(123456789n, 'USD', { grouping: true })).toBe('1,234,567.89');
    expect(formatSignedAmount(500000n, 'USD')).toBe('+5,000.00');
    expect(formatSignedAmount(-500000n, 'USD')).toBe('-5,000.00');
  });

  it('round-trips every amount it formats', () => {
    for (const minor of [1n, 99n, 100n, 123456n, MAX_AMOUNT_MINOR]) {
      for (const currency of ['USD', 'JPY', 'BHD'] as const) {
        expect(parseAmount(formatAmount(minor, currency), currency)).toBe(minor);
      }
    }
  });
});
