// Identifier generation. Server-only: it reads the clock and the random source, which the pure
// domain never does.

import { randomBytes } from 'node:crypto';

// Random bytes drawn 4 KiB at a time: every event gets an id, and asking the operating system's
// generator for 16 bytes at a time cost a measurable share of a busy server's CPU.
const RANDOM_POOL_BYTES = 4_096;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

function sixteenRandomBytes(): Buffer {
  if (randomOffset + 16 > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomOffset = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomOffset, randomOffset + 16));
  randomOffset += 16;
  return bytes;
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort
 * roughly by creation time, which keeps the events_event_id_key index append-mostly.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = sixteenRandomBytes();
  let ms = BigInt(nowMs);
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ACCOUNT_ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A generated account id such as `acc_9k2m4x7q1t3v5w8z`: short, unambiguous, URL-safe. */
export function newAccountId(): string {
  const bytes = randomBytes(16);
  let id = 'acc_';
  for (const byte of bytes) id += ACCOUNT_ID_ALPHABET[byte % 32];
  return id;
}
