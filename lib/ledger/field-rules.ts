// Checks the deciders apply to the free-text and identifier fields of every command. The zod
// schemas at the edges apply the same bounds first; these run again inside the decider so that a
// command that skipped them (an import, a test) is refused alone, never written.

import { fieldError } from '../errors';
import { ACCOUNT_ID_PATTERN, isWellFormedText } from './limits';

export function requireAccountId(accountId: string, field: string): void {
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw fieldError(field, 'An account id is 1 to 64 letters, digits, "-" or "_".');
  }
}

export function requireText(value: unknown, field: string, maxLength: number): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw fieldError(field, `${labelOf(field)} is required.`);
  requireWellFormed(trimmed, field);
  if (trimmed.length > maxLength)
    throw fieldError(field, `${labelOf(field)} is at most ${maxLength} characters.`);
  return trimmed;
}

export function optionalText(value: unknown, field: string, maxLength: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw fieldError(field, `${labelOf(field)} must be text.`);
  const trimmed = value.trim();
  requireWellFormed(trimmed, field);
  if (trimmed.length > maxLength)
    throw fieldError(field, `${labelOf(field)} is at most ${maxLength} characters.`);
  return trimmed;
}

/** Text without UTF-8 form cannot be stored; refused here so that it never reaches a batch's insert. */
function requireWellFormed(value: string, field: string): void {
  if (!isWellFormedText(value))
    throw fieldError(field, `${labelOf(field)} contains an unpaired UTF-16 surrogate.`);
}

function labelOf(field: string): string {
  const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
