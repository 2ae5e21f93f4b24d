// next-auth configuration: email and password against the users table, JWT sessions carrying the
// user's id and role. The JWT is only a hint: every request reloads the user (current-user.ts), so
// disabling a user or changing their role takes effect on their next request.

import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { randomUUID } from 'node:crypto';
import { DEFAULT_AFTER_SIGN_IN, sameOriginPath } from '../../auth/safe-callback-url';
import { trustedClientAddress } from '../http/trusted-client-address';
import { authenticate } from './authenticate';
import { isSessionRevoked, revokeSession } from './revoke-session';
import { SESSION_MAX_AGE_SECONDS, sessionEndsAt } from './session-lifetime';
import { noteSignInRefused } from './sign-in-refusal';
import { logLine, logUnexpectedError } from '../log';

let hasWarnedAboutUnknownClients = false;

/**
 * Where the attempt comes from, as Chronicle's HTTP server determined it from the socket (and
 * TRUSTED_PROXIES). Never X-Forwarded-For directly: any client can write that.
 */
function clientAddressOf(headers: Record<string, unknown> | undefined): string | null {
  const address = trustedClientAddress(headers);
  if (!address && !hasWarnedAboutUnknownClients) {
    hasWarnedAboutUnknownClients = true;
    logLine(
      'warn',
      'sign-in: client addresses are unknown, so sign-ins are throttled per email only',
      {
        hint: 'serve Chronicle with `npm start` or `scripts/serve.ts`, not `next start`',
      },
    );
  }
  return address;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  // The token's own expiry, which is what the server checks. next-auth's default is 30 days
  // whatever the session's maxAge, which only sets the cookie's expiry in the browser: a copied
  // cookie would have stayed valid for a month.
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, request) {
        if (typeof credentials?.email !== 'string' || typeof credentials.password !== 'string')
          return null;
        // next-auth reports a thrown error's message to the sign-in form as its error code, so
        // an unexpected failure (the database is down, say) must not be thrown as it is.
        const result = await authenticate({
          email: credentials.email,
          password: credentials.password,
          clientAddress: clientAddressOf(request?.headers),
        }).catch((error: unknown) => {
          logUnexpectedError('sign-in failed', error);
          throw new Error('unavailable');
        });
        if (result.status === 'rate_limited' || result.status === 'busy') {
          noteSignInRefused(result.retryAfterSeconds);
          throw new Error(result.status);
        }
        return result.status === 'ok' ? result.user : null;
      },
    }),
  ],
  callbacks: {
    // Where next-auth sends people after signing in or out (and the callbackUrl it hands the
    // sign-in page): the same rule as the sign-in page applies, so a target that would leave
    // Chronicle becomes the accounts list and what goes on is always a clean path on our origin.
    redirect({ url, baseUrl }) {
      return new URL(sameOriginPath(url, baseUrl) ?? DEFAULT_AFTER_SIGN_IN, baseUrl).href;
    },
    async jwt({ token, user }) {
      if (user) {
        // A new sign-in: a session id of our own, kept while the token is refreshed, so that
        // signing out can revoke exactly this session (revoke-session.ts).
        token.sid = randomUUID();
        token.signedInAt = Math.floor(Date.now() / 1000);
        token.sub = user.id;
        token.role = user.role;
        token.name = user.name;
        token.email = user.email;
        return token;
      }
      // A refresh: never for a session that was signed out or has lived its absolute maximum.
      // Throwing makes next-auth clear the cookie instead of issuing a new token.
      if (
        !token.sid ||
        typeof token.signedInAt !== 'number' ||
        sessionEndsAt(token.signedInAt).getTime() <= Date.now() ||
        (await isSessionRevoked(token.sid))
      )
        throw new Error('session ended');
      return token;
    },
    session({ session, token }) {
      session.user = {
        id: token.sub ?? '',
        email: token.email ?? '',
        name: token.name ?? '',
        role: token.role ?? 'auditor',
      };
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.sid) return;
      await revokeSession({
        sessionId: token.sid,
        userId: token.sub,
        endsAt: sessionEndsAt(
          typeof token.signedInAt === 'number' ? token.signedInAt : Math.floor(Date.now() / 1000),
        ),
      });
    },
  },
  logger: {
    error(code, metadata) {
      logLine('error', 'next-auth', {
        code,
        detail: metadata instanceof Error ? metadata.message : undefined,
      });
    },
    warn(code) {
      logLine('warn', 'next-auth', { code });
    },
    debug() {},
  },
};
