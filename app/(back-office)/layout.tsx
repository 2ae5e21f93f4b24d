import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { Header } from '@/components/nav/header';
import { getCurrentUser } from '@/lib/server/auth/current-user';

export default async function BackOfficeLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <Header user={user} />
      <main id="main" className="mx-auto max-w-7xl px-6 py-8 print:max-w-none print:p-0">
        {children}
      </main>
    </>
  );
}
