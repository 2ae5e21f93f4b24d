// The security headers every response carries (proxy.ts sets them). Pages get a Content Security
// Policy that lets only Chronicle's own scripts run: Next.js puts the per-request nonce on every
// script it renders, and 'strict-dynamic' extends that trust to the chunks those scripts load.
// An injected <script> or inline event handler has no nonce and does not run. No page, script,
// style, font, image or connection may come from another origin, and no other site may frame
// Chronicle (clickjacking). API answers are data, never documents, so they allow nothing at all.

/** 128 random bits, base64: what a CSP nonce needs to be unguessable, fresh for each request. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

function policy(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The policy for pages (and anything else a browser may open as a document). */
export function pageContentSecurityPolicy(options: {
  nonce: string;
  isDevelopment: boolean;
  isHttps: boolean;
}): string {
  const nonce = `'nonce-${options.nonce}'`;
  return policy({
    'default-src': ["'self'"],
    // Browsers that know 'strict-dynamic' ignore 'self' here; older ones (CSP 2) fall back to it.
    // `next dev` rebuilds server error stacks with eval; production never needs it.
    'script-src': [
      "'self'",
      nonce,
      "'strict-dynamic'",
      ...(options.isDevelopment ? ["'unsafe-eval'"] : []),
    ],
    // Style elements need the nonce (Radix's scroll lock adds one while a dialog is open; see
    // components/content-security-policy.ts). Style attributes stay allowed: React renders a few
    // (the time-travel slider's position), and an attribute can neither run code nor load
    // anything that img-src and font-src would refuse. `next dev` injects unnonced style elements.
    'style-src': ["'self'", options.isDevelopment ? "'unsafe-inline'" : nonce],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    // Live updates (server-sent events), the as-of and timeline reads, next-auth; in development
    // also the hot-reload WebSocket, which 'self' covers.
    'connect-src': ["'self'"],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(options.isHttps ? { 'upgrade-insecure-requests': [] } : {}),
  });
}

/** The policy for API routes: their answers are JSON, CSV or event streams, never rendered. */
export const API_CONTENT_SECURITY_POLICY = policy({
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
});

/** Two years, as HSTS preload lists expect; browsers renew it on every HTTPS response. */
const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;

/** The headers besides the CSP, the same on every response. */
export function securityHeaders(options: { isHttps: boolean }): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    // For browsers that predate CSP's frame-ancestors.
    'X-Frame-Options': 'DENY',
    // Back-office URLs name accounts and events: never tell another site which one was open.
    'Referrer-Policy': 'same-origin',
    // The back office uses none of these devices or payment features, so neither can anything
    // injected into it. (The clipboard stays: the new API key's "Copy" button writes to it.)
    'Permissions-Policy': [
      'accelerometer=()',
      'camera=()',
      'display-capture=()',
      'geolocation=()',
      'gyroscope=()',
      'magnetometer=()',
      'microphone=()',
      'midi=()',
      'payment=()',
      'usb=()',
    ].join(', '),
    // A site that opens Chronicle in a new window gets no handle on it, and no other site may
    // embed Chronicle's answers (scripts, images, JSON) in its own pages.
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // Only when the public URL is HTTPS (browsers ignore it over plain HTTP anyway).
    // includeSubDomains reaches only the hosts below Chronicle's own host name.
    ...(options.isHttps
      ? { 'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains` }
      : {}),
  };
}
