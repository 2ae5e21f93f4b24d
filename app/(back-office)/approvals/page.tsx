import type { Metadata } from 'next';
import Link from 'next/link';
import {
  ApprovalStatusBadge,
  APPROVAL_STATUS_LABELS,
} from '@/components/approvals/approval-badges';
import { Instant } from '@/components/ui/instant';
import { EmptyState, Forbidden, PageHeading } from '@/components/ui/states';
import { TableHead } from '@/components/ui/table-head';
import { APPROVAL_STATUSES, type ApprovalStatus } from '@/lib/ledger/approval/approval-rules';
import { guardPage } from '@/lib/server/auth/guard-page';
import { listApprovals } from '@/lib/server/approvals/read-approvals';
import { cn } from '@/components/ui/cn';

export const metadata: Metadata = { title: 'Approvals' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ApprovalsPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, allowed } = await guardPage('approvals:read', { returnTo: '/approvals' });
  if (!allowed) return <Forbidden what="view approval requests" />;
  const given = (await searchParams).status;
  const status: ApprovalStatus = APPROVAL_STATUSES.includes(given as ApprovalStatus)
    ? (given as ApprovalStatus)
    : 'pending';
  const items = await listApprovals({ status, limit: 100 });
  return (
    <>
      <PageHeading title="Approvals">
        Actions the approval policy holds until a second person approves them. Nobody decides a
        request they made; approving runs it once, against the account as it stands then.
      </PageHeading>
      <nav aria-label="Status" className="mb-4 flex gap-2 text-sm">
        {APPROVAL_STATUSES.map((option) => (
          <Link
            key={option}
            href={`/approvals?status=${option}`}
            aria-current={option === status ? 'page' : undefined}
            className={cn(
              'rounded-full px-3 py-1 ring-1 ring-inset',
              option === status
                ? 'bg-slate-900 text-white ring-slate-900'
                : 'text-slate-700 ring-slate-300 hover:bg-slate-50',
            )}
          >
            {APPROVAL_STATUS_LABELS[option]}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <EmptyState title={`No ${APPROVAL_STATUS_LABELS[status].toLowerCase()} requests.`} />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="approval-table">
            <TableHead
              columns={[
                { label: 'Requested' },
                { label: 'What' },
                { label: 'Requested by' },
                { label: 'Status' },
                { label: 'Expires' },
              ]}
            />
            <tbody className="divide-y divide-slate-100">
              {items.map((approval) => (
                <tr key={approval.id}>
                  <td className="px-4 py-2 whitespace-nowrap">
                    <Instant iso={approval.requestedAt.toISOString()} />
                  </td>
                  <td className="px-4 py-2">
                    <Link href={`/approvals/${approval.id}`} className="text-sky-800 underline">
                      {approval.summary}
                    </Link>
                    {approval.maker.userId === user.id ? (
                      <span className="ml-2 text-xs text-slate-500">(yours)</span>
                    ) : null}
                  </td>
                  <td className="px-4 py-2">{approval.maker.email || approval.maker.actor}</td>
                  <td className="px-4 py-2">
                    <ApprovalStatusBadge status={approval.status} />
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">
                    <Instant iso={approval.expiresAt.toISOString()} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
