import Link from 'next/link';
import { can, ROLE_LABELS } from '@/lib/auth/permissions';
import type { SessionUser } from '@/lib/server/auth/current-user';
import { Badge } from '../ui/badge';
import { SignOutButton } from './sign-out-button';

export function Header({
  user,
  pendingApprovals,
}: {
  user: SessionUser;
  pendingApprovals: number;
}) {
  const links = [
    { href: '/accounts', label: 'Accounts', show: can(user.role, 'accounts:read') },
    { href: '/disputes', label: 'Disputes', show: can(user.role, 'disputes:read') },
    {
      href: '/approvals',
      label: 'Approvals',
      show: can(user.role, 'approvals:read'),
      count: pendingApprovals,
    },
    { href: '/audit', label: 'Audit log', show: can(user.role, 'audit:read') },
    { href: '/admin/users', label: 'Users', show: can(user.role, 'users:manage') },
    { href: '/admin/api-keys', label: 'API keys', show: can(user.role, 'api-keys:manage') },
  ];
  return (
    <header className="border-b border-slate-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-6 py-3">
        <nav aria-label="Main" className="flex items-center gap-6">
          <Link href="/accounts" className="text-lg font-semibold tracking-tight">
            Chronicle
          </Link>
          <ul className="flex gap-4 text-sm">
            {links
              .filter((link) => link.show)
              .map((link) => (
                <li key={link.href}>
                  <Link href={link.href} className="text-slate-700 hover:text-slate-950">
                    {link.label}
                    {'count' in link && link.count ? (
                      <span
                        className="ml-1 rounded-full bg-amber-100 px-1.5 text-xs font-medium text-amber-900"
                        data-testid="pending-approvals"
                        aria-label={`${link.count} pending`}
                      >
                        {link.count}
                      </span>
                    ) : null}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="flex items-center gap-3 text-sm">
          <span className="text-slate-700" data-testid="current-user">
            {user.name}
          </span>
          <Badge tone="info">{ROLE_LABELS[user.role]}</Badge>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
