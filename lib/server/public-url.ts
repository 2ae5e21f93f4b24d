// Chronicle's public URL, as the operator configured it in NEXTAUTH_URL (next-auth reads the same
// variable). Decisions about "our own origin" use it rather than the request's Host or
// X-Forwarded-Host headers, which whoever sends the request chooses.

/** Stands in when NEXTAUTH_URL is unset or unusable: then only plain paths count as ours. */
const FALLBACK_ORIGIN = 'http://localhost';

function configuredUrl(): URL | null {
  const value = process.env.NEXTAUTH_URL;
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The origin (scheme, host and port) people reach Chronicle at. */
export function publicOrigin(): string {
  return configuredUrl()?.origin ?? FALLBACK_ORIGIN;
}

/** Whether Chronicle is served over HTTPS, so browsers may be told to insist on it (HSTS). */
export function isPublicUrlHttps(): boolean {
  return configuredUrl()?.protocol === 'https:';
}
