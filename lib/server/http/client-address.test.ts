import { describe, expect, it } from 'vitest';
import { normalizeAddress, parseTrustedProxies, resolveClientAddress } from './client-address';

const NO_PROXIES = parseTrustedProxies(undefined);

describe('parseTrustedProxies', () => {
  it('accepts IPv4 and IPv6 addresses and CIDR ranges, with spaces around commas', () => {
    const proxies = parseTrustedProxies(' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::1');
    expect(proxies.entries).toEqual(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1']);
    expect(proxies.has('10.200.3.4')).toBe(true);
    expect(proxies.has('192.0.2.7')).toBe(true);
    expect(proxies.has('192.0.2.8')).toBe(false);
    expect(proxies.has('2001:db8:ffff::1')).toBe(true);
    expect(proxies.has('2001:db9::1')).toBe(false);
    expect(proxies.has('::1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
  });

  it('trusts no one when unset or empty', () => {
    for (const setting of [undefined, '', ' , ']) {
      const proxies = parseTrustedProxies(setting);
      expect(proxies.entries).toEqual([]);
      expect(proxies.has('127.0.0.1')).toBe(false);
      expect(proxies.has('::1')).toBe(false);
    }
  });

  it('refuses entries that are not addresses or ranges, naming them', () => {
    for (const entry of [
      'localhost',
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.1/8/1',
      '1.2.3',
      '/8',
      '10.0.0.0/x',
    ]) {
      expect(() => parseTrustedProxies(`127.0.0.1,${entry}`)).toThrow(entry);
    }
  });
});

describe('normalizeAddress', () => {
  it('gives one spelling per address', () => {
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(normalizeAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(normalizeAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normalizeAddress('192.0.2.1:8080')).toBe('192.0.2.1');
    expect(normalizeAddress(' 192.0.2.1 ')).toBe('192.0.2.1');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
  });

  it('is null for anything that is not an address', () => {
    for (const value of ['', 'unknown', 'evil.example', '999.1.1.1', '1.2.3.4.5', '<script>']) {
      expect(normalizeAddress(value)).toBeNull();
    }
  });
});

describe('resolveClientAddress', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(
      resolveClientAddress({
        peerAddress: '198.51.100.7',
        forwardedFor: '203.0.113.1',
        trustedProxies: NO_PROXIES,
      }),
    ).toBe('198.51.100.7');
    expect(
      resolveClientAddress({
        peerAddress: '198.51.100.7',
        forwardedFor: '203.0.113.1',
        trustedProxies: parseTrustedProxies('10.0.0.0/8'),
      }),
    ).toBe('198.51.100.7');
  });

  it('walks X-Forwarded-For from the right past trusted proxies, never reading further left', () => {
    const trustedProxies = parseTrustedProxies('10.0.0.0/8,2001:db8::/32');
    // The client wrote "6.6.6.6, 7.7.7.7" itself; the edge proxy appended the real 203.0.113.9;
    // an inner proxy appended the edge proxy's address.
    expect(
      resolveClientAddress({
        peerAddress: '10.0.0.2',
        forwardedFor: '6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.1',
        trustedProxies,
      }),
    ).toBe('203.0.113.9');
    expect(
      resolveClientAddress({
        peerAddress: '::ffff:10.0.0.2',
        forwardedFor: ['6.6.6.6', '2001:db8::5, 2001:DB8:0::7'],
        trustedProxies,
      }),
    ).toBe('6.6.6.6');
  });

  it('takes the peer when a trusted proxy forwarded nothing, the leftmost hop when all are proxies', () => {
    const trustedProxies = parseTrustedProxies('10.0.0.0/8');
    expect(
      resolveClientAddress({ peerAddress: '10.0.0.2', forwardedFor: undefined, trustedProxies }),
    ).toBe('10.0.0.2');
    expect(
      resolveClientAddress({
        peerAddress: '10.0.0.2',
        forwardedFor: '10.9.9.9, 10.0.0.1',
        trustedProxies,
      }),
    ).toBe('10.9.9.9');
  });

  it('stops at the last trusted proxy when a hop is not an address', () => {
    expect(
      resolveClientAddress({
        peerAddress: '10.0.0.2',
        forwardedFor: '203.0.113.9, garbage',
        trustedProxies: parseTrustedProxies('10.0.0.0/8'),
      }),
    ).toBe('10.0.0.2');
  });

  it('is null only when the peer is unknown', () => {
    expect(
      resolveClientAddress({
        peerAddress: undefined,
        forwardedFor: '203.0.113.9',
        trustedProxies: NO_PROXIES,
      }),
    ).toBeNull();
  });
});
