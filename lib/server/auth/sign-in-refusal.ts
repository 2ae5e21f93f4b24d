// Lets a refused sign-in answer HTTP 429 with Retry-After. next-auth decides the response of
// POST /api/auth/callback/credentials itself (401 and `{ url: …?error=<code> }` whenever
// `authorize` throws), so `authorize` notes the refusal in this request's context and the route
// handler rewrites the status afterwards. The body stays next-auth's: its client `signIn` reads the
// error code from `url` whatever the status, so the sign-in form still shows its message.

import { AsyncLocalStorage } from 'node:async_hooks';

interface SignInRequestContext {
  retryAfterSeconds?: number;
}

const globalForContext = globalThis as unknown as {
  chronicleSignInContext?: AsyncLocalStorage<SignInRequestContext>;
};
// One store per process, though Next.js may load this module once per route bundle.
globalForContext.chronicleSignInContext ??= new AsyncLocalStorage<SignInRequestContext>();
const signInContext = globalForContext.chronicleSignInContext;

/** Called from `authorize`: this attempt was turned away, and may be retried after this long. */
export function noteSignInRefused(retryAfterSeconds: number): void {
  const context = signInContext.getStore();
  if (context) context.retryAfterSeconds = retryAfterSeconds;
}

/** Runs next-auth's handler; a sign-in it refused for throttling answers 429 with Retry-After. */
export async function withSignInRefusalStatus(handle: () => Promise<Response>): Promise<Response> {
  const context: SignInRequestContext = {};
  const response = await signInContext.run(context, handle);
  if (context.retryAfterSeconds === undefined) return response;
  const headers = new Headers(response.headers);
  headers.set('Retry-After', String(context.retryAfterSeconds));
  return new Response(response.body, { status: 429, headers });
}
