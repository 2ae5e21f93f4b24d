// Who is on the other end of a request, as far as we can trust it. The TCP peer is the only
// address nobody can forge; X-Forwarded-For is believed only as far as it was written by proxies
// the operator named in TRUSTED_PROXIES. Without that setting every forwarded header is ignored,
// because any client can send one.

import { BlockList, isIP } from 'node:net';

/** The proxies whose X-Forwarded-For entries we believe (TRUSTED_PROXIES). */
export interface TrustedProxies {
  /** Whether `address` (already normalized) is one of the configured proxies. */
  has(address: string): boolean;
  /** The entries as configured, for the start-up log. */
  readonly entries: readonly string[];
}

/**
 * Parses TRUSTED_PROXIES: comma-separated IPv4/IPv6 addresses and CIDR ranges
 * (`10.0.0.0/8, 2001:db8::/32, 127.0.0.1`). Empty or unset trusts no one. An entry that is not an
 * address or a range is a configuration mistake worth stopping for, not something to skip.
 */
export function parseTrustedProxies(setting: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [rawAddress = '', prefix, ...rest] = entry.split('/');
    const address = normalizeAddress(rawAddress);
    const family = address ? isIP(address) : 0;
    if (!address || rest.length > 0 || family === 0)
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or a CIDR range.`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128)))
      throw new Error(`TRUSTED_PROXIES: "${entry}" has an invalid prefix length.`);
    list.addSubnet(address, bits, type);
  }
  return {
    entries,
    has: (address) => {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * One canonical spelling per address, so throttle buckets cannot be escaped by writing the same
 * address differently: IPv4-mapped IPv6 (`::ffff:192.0.2.1`) becomes IPv4, IPv6 is lower-case
 * and compressed, a zone (`%eth0`), brackets and a port are dropped. Null when it is not an
 * address at all.
 */
export function normalizeAddress(value: string): string | null {
  let address = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return null;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(canonical);
  if (mapped) return mapped[1] as string;
  // The URL parser writes a mapped address's IPv4 part as hex (::ffff:c000:201).
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mappedHex) {
    const high = parseInt(mappedHex[1] as string, 16);
    const low = parseInt(mappedHex[2] as string, 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return canonical;
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy, in which case
 * X-Forwarded-For is walked from the right (the entry the nearest proxy appended) past every
 * trusted proxy; the first address that is not one is the client. Entries further left were
 * written by whoever sent the request and are never read. Null only when the peer is unknown
 * (the socket is already gone).
 */
export function resolveClientAddress(options: {
  peerAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  trustedProxies: TrustedProxies;
}): string | null {
  let client = options.peerAddress ? normalizeAddress(options.peerAddress) : null;
  if (!client || !options.trustedProxies.has(client)) return client;
  const forwarded = Array.isArray(options.forwardedFor)
    ? options.forwardedFor.join(',')
    : (options.forwardedFor ?? '');
  const hops = forwarded.split(',').filter((hop) => hop.trim() !== '');
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normalizeAddress(hops[index] as string);
    // A trusted proxy wrote something that is not an address: it is misconfigured, and the
    // last proxy we do trust is as close to the client as we can honestly get.
    if (!hop) return client;
    client = hop;
    if (!options.trustedProxies.has(hop)) return hop;
  }
  return client;
}
