import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { Header } from '@/components/nav/header';
import { can } from '@/lib/auth/permissions';
import { countPendingApprovals } from '@/lib/server/approvals/read-approvals';
import { getCurrentUser } from '@/lib/server/auth/current-user';

export default async function BackOfficeLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  const pendingApprovals = can(user.role, 'approvals:read') ? await countPendingApprovals() : 0;
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <Header user={user} pendingApprovals={pendingApprovals} />
      <main id="main" className="mx-auto max-w-7xl px-6 py-8 print:max-w-none print:p-0">
        {children}
      </main>
    </>
  );
}
