/** "2026-03-15 14:47:00 UTC" — the same on the server and in every browser. */
export function formatUtc(iso: string, withMilliseconds = false): string {
  const text = iso.replace('T', ' ').replace('Z', '');
  return `${withMilliseconds ? text.slice(0, 23) : text.slice(0, 19)} UTC`;
}
