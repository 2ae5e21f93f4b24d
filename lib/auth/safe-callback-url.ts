// Where someone goes after signing in (or out). The target arrives in a query string that anyone
// can write a link with, so it is never trusted as text: it is resolved the way a browser would
// resolve it and accepted only when it stays on Chronicle's own origin.

/** Where people land after signing in when no usable target was given. */
export const DEFAULT_AFTER_SIGN_IN = '/accounts';

const SIGN_IN_PATH = '/login';

/**
 * The path, query and fragment `value` leads to when it stays on `appOrigin`; null when it would
 * leave it. Browsers read `/\evil.example`, `/\t/evil.example` or `\/evil.example` as
 * `//evil.example`, another host; resolving with the WHATWG URL parser (the browser's own rules)
 * catches every spelling of that, where a prefix check cannot. The raw string is never returned.
 */
export function sameOriginPath(value: unknown, appOrigin: string): string | null {
  if (typeof value !== 'string' || value === '') return null;
  let origin: string;
  let target: URL;
  try {
    origin = new URL(appOrigin).origin;
    target = new URL(value, origin);
  } catch {
    return null;
  }
  if (target.origin !== origin) return null;
  // A path that resolves to `//host/…` (from `/.//evil.example`, say) is same-origin here but
  // names another host once it is used on its own as a relative redirect target.
  if (target.pathname.startsWith('//')) return null;
  return `${target.pathname}${target.search}${target.hash}`;
}

/**
 * Where to go after signing in: `value` when it stays on `appOrigin`, otherwise the accounts
 * list. Never the sign-in page itself, which would send a signed-in user round in circles.
 */
export function afterSignInPath(value: unknown, appOrigin: string): string {
  const path = sameOriginPath(value, appOrigin);
  if (path === null || new URL(path, appOrigin).pathname === SIGN_IN_PATH)
    return DEFAULT_AFTER_SIGN_IN;
  return path;
}
