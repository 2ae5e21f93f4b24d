// Sends people who are not signed in to the sign-in page. This is a convenience only: every page,
// server action and route handler checks the session and the permission itself, so a request
// that gets past this file (or a bug in it) still opens nothing.

import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];

/**
 * The query to come back to after signing in. Next.js re-encodes the query before this file sees
 * it (`:` arrives as `%3A`): that changes nothing the query means, but a shared deep link such as
 * `?at=2026-03-15T14:47:00.000Z` would come back looking different. These characters need no
 * escaping in a query, so they are written plainly again.
 */
function readableSearch(search: string): string {
  return search.replace(/%(3A|2F|40|2C)/gi, (escaped) => decodeURIComponent(escaped));
}

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const login = new URL('/login', request.url);
  login.searchParams.set(
    'callbackUrl',
    `${request.nextUrl.pathname}${readableSearch(request.nextUrl.search)}`,
  );
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/accounts/:path*', '/events/:path*', '/audit/:path*', '/admin/:path*'],
};
