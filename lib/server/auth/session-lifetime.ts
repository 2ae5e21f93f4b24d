// How long a sign-in lasts. A session ends after SESSION_MAX_AGE_SECONDS without activity (the
// token is refreshed while the user is active), and in any case SESSION_ABSOLUTE_MAX_SECONDS after
// the sign-in itself: a stolen cookie kept alive by refreshing it still dies then.

function positiveSetting(name: string, fallback: number): number {
  const configured = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : fallback;
}

/** Without activity; `CHRONICLE_SESSION_MAX_AGE_SECONDS`, default 8 hours. */
export const SESSION_MAX_AGE_SECONDS = positiveSetting(
  'CHRONICLE_SESSION_MAX_AGE_SECONDS',
  8 * 60 * 60,
);

/** From the sign-in, whatever the activity; `CHRONICLE_SESSION_ABSOLUTE_MAX_SECONDS`, default 12 hours. */
export const SESSION_ABSOLUTE_MAX_SECONDS = positiveSetting(
  'CHRONICLE_SESSION_ABSOLUTE_MAX_SECONDS',
  12 * 60 * 60,
);

/** The last instant a session signed in at `signedInAtSeconds` may be used. */
export function sessionEndsAt(signedInAtSeconds: number): Date {
  return new Date((signedInAtSeconds + SESSION_ABSOLUTE_MAX_SECONDS) * 1000);
}
