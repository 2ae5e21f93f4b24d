import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Chronicle', template: '%s · Chronicle' },
  description: 'An event-sourced ledger: every money movement is an immutable, verifiable fact.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered for its request, never ahead of time: the CSP nonce (proxy.ts) is new
  // for each request, and Next.js can only put it on the scripts of a page rendered for it.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
