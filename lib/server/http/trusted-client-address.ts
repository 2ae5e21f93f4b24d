// How the client address travels from Chronicle's HTTP server (serve.ts), which sees the socket,
// to route handlers, which do not: a private request header the server overwrites on every request.
// A request can carry that header itself, so the app believes it only in a process where the
// server has said, through a process-wide flag, that it stamps every request. Under a plain
// `next start` nobody stamps it, the flag is unset, and the address is unknown.

export const CLIENT_ADDRESS_HEADER = 'x-chronicle-client-address';

/** Process-wide (Next.js may load this module once per route bundle), and unreachable from outside. */
const SERVED_BY_CHRONICLE = Symbol.for('chronicle.clientAddressHeaderIsStamped');

type FlaggedGlobal = typeof globalThis & { [SERVED_BY_CHRONICLE]?: boolean };

/** Called by Chronicle's HTTP server before it starts Next.js: every request is stamped. */
export function declareClientAddressHeaderStamped(): void {
  (globalThis as FlaggedGlobal)[SERVED_BY_CHRONICLE] = true;
}

export function isClientAddressHeaderStamped(): boolean {
  return (globalThis as FlaggedGlobal)[SERVED_BY_CHRONICLE] === true;
}

/**
 * The client address Chronicle's server determined for this request, or null when it is unknown
 * (not served by Chronicle's server, or the socket had no address).
 */
export function trustedClientAddress(
  headers: Headers | Record<string, unknown> | undefined,
): string | null {
  if (!headers || !isClientAddressHeaderStamped()) return null;
  const value =
    headers instanceof Headers
      ? headers.get(CLIENT_ADDRESS_HEADER)
      : headers[CLIENT_ADDRESS_HEADER];
  return typeof value === 'string' && value !== '' ? value : null;
}
