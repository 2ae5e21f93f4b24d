// Runs before every request except Next.js's build assets. It does two things:
// - puts the security headers on every answer (lib/server/http/security-headers.ts), with a fresh
//   CSP nonce for each page, handed to Next.js in the request's own CSP header so that Next.js
//   puts it on the scripts it renders;
// - sends people who are not signed in from back-office pages to the sign-in page. This is a
//   convenience only: every page, server action and route handler checks the session and the
//   permission itself, so a request that gets past this file (or a bug in it) still opens nothing.

import { NextResponse, type NextRequest } from 'next/server';
import {
  API_CONTENT_SECURITY_POLICY,
  newNonce,
  pageContentSecurityPolicy,
  securityHeaders,
} from './lib/server/http/security-headers';
import { problemResponse } from './lib/server/http/problem-response';
import { isPublicUrlHttps } from './lib/server/public-url';

const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];
const BACK_OFFICE_SECTIONS = ['/accounts', '/disputes', '/events', '/audit', '/admin'];

/**
 * Dispute evidence files are served as they were uploaded (PDF, PNG, JPEG): opened on their own,
 * they are also sandboxed, so that a crafted file can run nothing even where a viewer would try.
 */
const SANDBOXED_API_PATH = /^\/api\/disputes\/[^/]+\/evidence\//;

function isUnder(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * The query to come back to after signing in. Next.js re-encodes the query before this file sees
 * it (`:` arrives as `%3A`): that changes nothing the query means, but a shared deep link such as
 * `?at=2026-03-15T14:47:00.000Z` would come back looking different. These characters need no
 * escaping in a query, so they are written plainly again.
 */
function readableSearch(search: string): string {
  return search.replace(/%(3A|2F|40|2C)/gi, (escaped) => decodeURIComponent(escaped));
}

function withSecurityHeaders(
  response: NextResponse,
  contentSecurityPolicy: string,
  isHttps: boolean,
): NextResponse {
  response.headers.set('Content-Security-Policy', contentSecurityPolicy);
  for (const [name, value] of Object.entries(securityHeaders({ isHttps })))
    response.headers.set(name, value);
  return response;
}

/**
 * Whether every percent-escape in the path decodes to UTF-8. Next.js answers a path that does not
 * (`/api/v1/accounts/%ED%A0%80`) with a bare 500 when it decodes the route's parameters; such a
 * request is the client's mistake, and is told so here.
 */
function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function proxy(request: NextRequest) {
  const isHttps = isPublicUrlHttps();
  const { pathname, search } = request.nextUrl;
  if (!isDecodablePath(pathname)) {
    const requestId = crypto.randomUUID();
    const response = problemResponse(
      'validation_error',
      'The URL path is not valid percent-encoded UTF-8.',
      requestId,
    );
    response.headers.set('X-Request-Id', requestId);
    return withSecurityHeaders(
      new NextResponse(response.body, response),
      API_CONTENT_SECURITY_POLICY,
      isHttps,
    );
  }
  if (isUnder(pathname, '/api'))
    return withSecurityHeaders(
      NextResponse.next(),
      SANDBOXED_API_PATH.test(pathname)
        ? `${API_CONTENT_SECURITY_POLICY}; sandbox`
        : API_CONTENT_SECURITY_POLICY,
      isHttps,
    );

  const contentSecurityPolicy = pageContentSecurityPolicy({
    nonce: newNonce(),
    isDevelopment: process.env.NODE_ENV === 'development',
    isHttps,
  });
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession && BACK_OFFICE_SECTIONS.some((section) => isUnder(pathname, section))) {
    const login = new URL('/login', request.url);
    login.searchParams.set('callbackUrl', `${pathname}${readableSearch(search)}`);
    return withSecurityHeaders(NextResponse.redirect(login), contentSecurityPolicy, isHttps);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', contentSecurityPolicy);
  return withSecurityHeaders(
    NextResponse.next({ request: { headers: requestHeaders } }),
    contentSecurityPolicy,
    isHttps,
  );
}

export const config = {
  // Everything but the build's hashed, immutable assets (next.config.js gives those the headers
  // that matter for them). Prefetches are included: their answers carry the headers too.
  matcher: ['/((?!_next/static|_next/image).*)'],
};
