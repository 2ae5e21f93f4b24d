import { createHash, randomBytes } from 'node:crypto';

/** Keys look like `chr_<43 characters>`: recognisable in logs and secret scanners, 256 bits random. */
export const API_KEY_PREFIX = 'chr_';

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force, unlike a
 * password. SHA-256 lets every request find its key with one index lookup.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The first characters of a key, enough to tell keys apart in a list, useless to an attacker. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}
