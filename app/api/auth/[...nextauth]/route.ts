import NextAuth from 'next-auth';
import { authOptions } from '@/lib/server/auth/auth-options';
import { withSignInRefusalStatus } from '@/lib/server/auth/sign-in-refusal';

const handler = NextAuth(authOptions);

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Sign-ins turned away by throttling or by the bound on password checks answer 429 with
// Retry-After; everything else is next-auth's own answer.
export function POST(request: Request, context: RouteContext): Promise<Response> {
  return withSignInRefusalStatus(() => handler(request, context));
}

export { handler as GET };
