// Money is a bigint count of minor units plus a currency. This module is the only place that
// turns decimal strings into minor units and back; nothing in Chronicle uses JS numbers for money.

import { fieldError } from '../errors';
import { currencyExponent, isCurrencyCode, type CurrencyCode } from './currencies';

/**
 * The largest single amount accepted: 10^15 minor units (ten trillion dollars in cents). It keeps
 * every sum of amounts far inside PostgreSQL's bigint and gives a clear error for typos like
 * 99999999999999999999999.
 */
export const MAX_AMOUNT_MINOR = 10n ** 15n;

/** The largest balance an account may hold; credits that would pass it are refused. */
export const MAX_BALANCE_MINOR = 10n ** 18n;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a positive decimal amount written in `currency`'s major units ("12.34" USD → 1234n).
 * Throws a `validation_error` naming `field` for anything else: numbers, NaN, exponent forms,
 * signs, zero, more decimals than the currency has, values past MAX_AMOUNT_MINOR.
 */
export function parseAmount(input: unknown, currency: string, field = 'amount'): bigint {
  const minor = parseNonNegativeAmount(input, requireCurrencyCode(currency), field);
  if (minor === 0n) throw fieldError(field, 'The amount must be greater than zero.');
  return minor;
}

/** `code` as a supported currency, or a `validation_error` on the `currency` field. */
export function requireCurrencyCode(code: string): CurrencyCode {
  if (!isCurrencyCode(code)) {
    throw fieldError('currency', `Unknown currency "${code}"; use an ISO 4217 code such as USD.`);
  }
  return code;
}

/** Like `parseAmount`, but accepts zero (an opening balance of "0.00", say). */
export function parseNonNegativeAmount(
  input: unknown,
  currency: CurrencyCode,
  field = 'amount',
): bigint {
  if (typeof input !== 'string') {
    throw fieldError(field, 'The amount must be a decimal string such as "12.34", not a number.');
  }
  if (input.startsWith('-')) throw fieldError(field, 'The amount must not be negative.');
  if (/[eE]/.test(input) && /\d/.test(input)) {
    throw fieldError(
      field,
      'Write the amount in plain decimal digits, not exponent form such as 1e3.',
    );
  }
  if (input.includes(',')) {
    throw fieldError(
      field,
      'Write the amount without thousands separators, with a dot for decimals.',
    );
  }
  const match = DECIMAL.exec(input);
  if (!match) throw fieldError(field, 'The amount must be a decimal number such as "12.34".');
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const exponent = currencyExponent(currency);
  if (fraction.length > exponent) {
    throw fieldError(
      field,
      exponent === 0
        ? `${currency} amounts are whole numbers; no decimals are allowed.`
        : `${currency} amounts have at most ${exponent} decimal place${exponent === 1 ? '' : 's'}.`,
    );
  }
  // Compare digit strings before building a bigint so absurdly long inputs are cheap to reject.
  const significant = (whole.replace(/^0+/, '') || '0').length;
  if (significant > 16) throw tooLarge(field, currency);
  const minor =
    BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > MAX_AMOUNT_MINOR) throw tooLarge(field, currency);
  return minor;
}

function tooLarge(field: string, currency: CurrencyCode) {
  return fieldError(
    field,
    `The amount is larger than the maximum of ${formatAmount(MAX_AMOUNT_MINOR, currency, { grouping: true })} ${currency}.`,
  );
}

/**
 * Formats minor units as a decimal string with exactly the currency's minor digits:
 * 10500n USD → "105.00", 5n JPY → "5", -250n USD → "-2.50". With `grouping`, thousands are
 * separated by commas for people to read ("1,234.56"); the API never groups.
 */
export function formatAmount(
  minor: bigint,
  currency: CurrencyCode,
  options?: { grouping?: boolean },
): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  let whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  if (options?.grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** A signed amount for people: "+12.34", "-5.00", with thousands grouped. */
export function formatSignedAmount(minor: bigint, currency: CurrencyCode): string {
  const formatted = formatAmount(minor, currency, { grouping: true });
  return minor > 0n ? `+${formatted}` : formatted;
}
