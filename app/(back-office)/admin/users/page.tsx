import { approvalNotice } from '@/lib/server/approvals/approval-notices';
import type { Metadata } from 'next';
import { CreateUserDialog, DisableControl, RoleControl } from '@/components/admin/user-controls';
import { Badge } from '@/components/ui/badge';
import { formatUtc } from '@/lib/format-time';
import { Forbidden, PageHeading } from '@/components/ui/states';
import { guardPage } from '@/lib/server/auth/guard-page';
import { listUsers } from '@/lib/server/users/list-users';
import { TableHead } from '@/components/ui/table-head';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const { user: me, allowed } = await guardPage('users:manage', { returnTo: '/admin/users' });
  if (!allowed) return <Forbidden what="manage users" />;
  const users = await listUsers();
  return (
    <>
      <PageHeading title="Users" actions={<CreateUserDialog />}>
        Roles take effect on a user&apos;s next request; a disabled user is signed out at once.
        {approvalNotice('grant_admin_role') ? (
          <span data-testid="approval-notice">
            {' '}
            Making someone an admin needs a second admin&apos;s approval: a new admin starts as
            auditor, and a role change waits, until it is approved (under Approvals).
          </span>
        ) : null}
      </PageHeading>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <TableHead
            columns={[
              { label: 'User' },
              { label: 'Role' },
              { label: 'Status' },
              { label: 'Since' },
              { label: 'Access', labelHidden: true },
            ]}
          />
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="px-4 py-2">
                  <div className="font-medium">{user.name}</div>
                  <div className="text-xs text-slate-500">{user.email}</div>
                </td>
                <td className="px-4 py-2">
                  <RoleControl
                    userId={user.id}
                    email={user.email}
                    role={user.role}
                    disabled={user.id === me.id}
                  />
                </td>
                <td className="px-4 py-2">
                  {user.disabledAt ? (
                    <Badge tone="danger">Disabled</Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  )}
                </td>
                <td className="px-4 py-2 text-xs text-slate-500 tabular-nums">
                  {formatUtc(user.createdAt.toISOString())}
                </td>
                <td className="px-4 py-2 text-right">
                  <DisableControl
                    userId={user.id}
                    name={user.name}
                    email={user.email}
                    isDisabled={Boolean(user.disabledAt)}
                    isSelf={user.id === me.id}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
