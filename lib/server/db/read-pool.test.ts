import { describe, expect, it } from 'vitest';
import { formatLsn, parseLsn } from './read-pool';

describe('WAL positions', () => {
  it('read as PostgreSQL prints them and print back the same way', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseLsn('ffffffff/ffffffff')).toBe(2n ** 64n - 1n);
    expect(formatLsn((0x16n << 32n) | 0xb374d848n)).toBe('16/B374D848');
    expect(formatLsn(parseLsn(' 0/0 ') ?? -1n)).toBe('0/0');
  });

  it('refuse anything else a cookie or header might carry', () => {
    for (const text of [null, undefined, '', '0', '1/2/3', '123456789/0', 'G/0', '-1/0', '0x1/0'])
      expect(parseLsn(text)).toBeNull();
  });
});
