// What the browser side needs to live within the Content Security Policy (proxy.ts,
// lib/server/http/security-headers.ts) without a single violation. Imported once, by the root
// providers, so it runs before any form or dialog is used.

import { setNonce } from 'get-nonce';
import { z } from 'zod';

if (typeof document !== 'undefined') {
  // zod builds faster parsers with `new Function` where eval is allowed. The policy forbids eval,
  // and even zod's caught probe for it is reported as a violation.
  z.config({ jitless: true });

  // Radix's scroll lock (open dialogs and menus) adds a <style> element, which the policy admits
  // only with this document's nonce. Next.js put that nonce on its own scripts; the browser hides
  // the attribute but keeps the property. Read from the document rather than passed down, it
  // stays the one this document's policy was sent with, however often the page is refreshed.
  const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;
  if (nonce) setNonce(nonce);
}
