import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import {
  ApproveDialog,
  CancelDialog,
  RejectDialog,
} from '@/components/approvals/approval-decisions';
import { ApprovalStatusBadge } from '@/components/approvals/approval-badges';
import { Instant } from '@/components/ui/instant';
import { Forbidden, PageHeading } from '@/components/ui/states';
import { TableHead } from '@/components/ui/table-head';
import { can, ROLE_LABELS } from '@/lib/auth/permissions';
import { isSamePerson, type Person } from '@/lib/ledger/approval/approval-rules';
import { isCurrencyCode } from '@/lib/ledger/currencies';
import { formatAmount } from '@/lib/ledger/money';
import { guardPage } from '@/lib/server/auth/guard-page';
import { getApproval } from '@/lib/server/approvals/read-approvals';

export const metadata: Metadata = { title: 'Approval request' };

function money(minor: string, currency: string): string {
  return isCurrencyCode(currency)
    ? `${formatAmount(BigInt(minor), currency, { grouping: true })} ${currency}`
    : minor;
}

function who(person: Person): string {
  return `${person.email || person.actor} (${ROLE_LABELS[person.role]}${person.actor.startsWith('api_key:') ? ', through an API key' : ''})`;
}

export default async function ApprovalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, allowed } = await guardPage('approvals:read', { returnTo: `/approvals/${id}` });
  if (!allowed) return <Forbidden what="view approval requests" />;
  const approval = await getApproval(id);
  if (!approval) notFound();
  const me = { userId: user.id, email: user.email };
  const mine = isSamePerson(approval.maker, me);
  const pending = approval.status === 'pending';
  const mayDecide =
    pending &&
    !mine &&
    can(user.role, 'approvals:decide') &&
    approval.approverRoles.includes(user.role);
  return (
    <>
      <PageHeading
        title={<span data-testid="approval-summary">{approval.summary}</span>}
        actions={
          <>
            {mayDecide ? (
              <>
                <ApproveDialog approvalId={approval.id} summary={approval.summary} />
                <RejectDialog approvalId={approval.id} />
              </>
            ) : null}
            {pending && mine && can(user.role, 'approvals:cancel') ? (
              <CancelDialog approvalId={approval.id} />
            ) : null}
          </>
        }
      >
        <span className="inline-flex items-center gap-2">
          <ApprovalStatusBadge status={approval.status} />
          <span data-testid="approval-status">{approval.status}</span>
        </span>
      </PageHeading>
      {pending && mine ? (
        <p role="note" className="mb-4 rounded-md bg-sky-50 p-3 text-sm text-sky-900">
          You made this request: another person with the{' '}
          {approval.approverRoles.map((role) => ROLE_LABELS[role]).join(' or ')} role must decide
          it.
        </p>
      ) : null}
      {pending && !mine && !mayDecide ? (
        <p role="note" className="mb-4 rounded-md bg-slate-50 p-3 text-sm text-slate-700">
          Only {approval.approverRoles.map((role) => ROLE_LABELS[role]).join(' or ')} users may
          decide this request.
        </p>
      ) : null}
      <dl className="mb-6 grid grid-cols-1 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">Requested by</dt>
          <dd data-testid="approval-maker">{who(approval.maker)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Requested</dt>
          <dd>
            <Instant iso={approval.requestedAt.toISOString()} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Expires</dt>
          <dd>
            <Instant iso={approval.expiresAt.toISOString()} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">May be decided by</dt>
          <dd>{approval.approverRoles.map((role) => ROLE_LABELS[role]).join(', ')}</dd>
        </div>
        {approval.decidedBy ? (
          <div>
            <dt className="text-slate-500">
              {approval.status === 'approved' ? 'Approved by' : 'Rejected by'}
            </dt>
            <dd data-testid="approval-checker">{who(approval.decidedBy)}</dd>
          </div>
        ) : null}
        {approval.decidedAt ? (
          <div>
            <dt className="text-slate-500">Decided</dt>
            <dd>
              <Instant iso={approval.decidedAt.toISOString()} />
            </dd>
          </div>
        ) : null}
        {approval.reason ? (
          <div className="sm:col-span-2">
            <dt className="text-slate-500">Reason</dt>
            <dd>{approval.reason}</dd>
          </div>
        ) : null}
      </dl>
      {approval.preview.length > 0 ? (
        <section className="mb-6">
          <h2 className="mb-2 text-lg font-semibold">Effect, as of the request</h2>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm" data-testid="approval-preview">
              <TableHead
                columns={[
                  { label: 'Account' },
                  { label: 'Balance before', numeric: true },
                  { label: 'Balance after', numeric: true },
                  { label: 'Available before', numeric: true },
                  { label: 'Available after', numeric: true },
                  { label: 'Status' },
                ]}
              />
              <tbody className="divide-y divide-slate-100">
                {approval.preview.map((line) => (
                  <tr key={line.accountId}>
                    <td className="px-4 py-2">
                      <Link
                        href={`/accounts/${encodeURIComponent(line.accountId)}`}
                        className="text-sky-800 underline"
                      >
                        {line.accountId}
                      </Link>
                    </td>
                    <td className="amount px-4 py-2 text-right">
                      {money(line.balanceBeforeMinor, line.currency)}
                    </td>
                    <td className="amount px-4 py-2 text-right">
                      {money(line.balanceAfterMinor, line.currency)}
                    </td>
                    <td className="amount px-4 py-2 text-right">
                      {money(line.availableBeforeMinor, line.currency)}
                    </td>
                    <td className="amount px-4 py-2 text-right">
                      {money(line.availableAfterMinor, line.currency)}
                    </td>
                    <td className="px-4 py-2">
                      {line.statusBefore === line.statusAfter
                        ? line.statusAfter
                        : `${line.statusBefore} → ${line.statusAfter}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Approving runs the command against the account as it stands then; these figures may have
            changed since.
          </p>
        </section>
      ) : null}
      <section>
        <h2 className="mb-2 text-lg font-semibold">The exact command</h2>
        <pre
          className="overflow-x-auto rounded-lg border border-slate-200 bg-slate-50 p-4 text-xs"
          data-testid="approval-command"
        >
          {JSON.stringify(
            approval.kind === 'create_admin_api_key'
              ? {
                  ...approval.command,
                  keyHash: '(SHA-256 of the key; the key itself is not stored)',
                }
              : approval.command,
            null,
            2,
          )}
        </pre>
      </section>
    </>
  );
}
