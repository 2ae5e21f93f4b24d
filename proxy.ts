// Sends people who are not signed in to the sign-in page. This is a convenience only: every page,
// server action and route handler checks the session and the permission itself, so a request
// that gets past this file (or a bug in it) still opens nothing.

import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const login = new URL('/login', request.url);
  login.searchParams.set('callbackUrl', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/accounts/:path*', '/events/:path*', '/audit/:path*', '/admin/:path*'],
};
