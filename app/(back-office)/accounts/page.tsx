import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveUpdates } from '@/components/ledger/live-updates';
import { OpenAccountDialog } from '@/components/ledger/movement-dialogs';
import { Amount } from '@/components/ui/amount';
import { Button } from '@/components/ui/button';
import { Select, TextInput } from '@/components/ui/field';
import { formatUtc } from '@/lib/format-time';
import { EmptyState, Forbidden, PageHeading } from '@/components/ui/states';
import { can } from '@/lib/auth/permissions';
import { CURRENCY_CODES, isCurrencyCode } from '@/lib/ledger/currencies';
import { ACCOUNT_ID_PATTERN } from '@/lib/ledger/limits';
import { guardPage } from '@/lib/server/auth/guard-page';
import { getPool } from '@/lib/server/db/pool';
import { encodeCheckpoint } from '@/lib/server/event-store/checkpoint-token';
import { currentCheckpoint } from '@/lib/server/event-store/read-global-log';
import { listAccountCurrencies } from '@/lib/server/queries/list-account-currencies';
import { listAccounts } from '@/lib/server/queries/list-accounts';
import { TableHead } from '@/components/ui/table-head';
import { AccountStatusBadge } from '@/components/ledger/account-status-badge';

export const metadata: Metadata = { title: 'Accounts' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export default async function AccountsPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, allowed } = await guardPage('accounts:read', { returnTo: '/accounts' });
  if (!allowed) return <Forbidden what="view accounts" />;
  const params = await searchParams;
  const search = single(params.q)?.slice(0, 100);
  const status = single(params.status);
  const currency = single(params.currency);
  const after = single(params.after);
  const filters = {
    search,
    status: status === 'active' || status === 'frozen' ? status : undefined,
    currency: currency && isCurrencyCode(currency) ? currency : undefined,
  } as const;
  const [page, currencies, checkpoint] = await Promise.all([
    listAccounts({
      filters,
      afterId: after && ACCOUNT_ID_PATTERN.test(after) ? after : undefined,
      limit: 25,
    }),
    listAccountCurrencies(),
    currentCheckpoint(getPool()),
  ]);
  const query = (extra: Record<string, string>) => {
    const next = new URLSearchParams();
    if (search) next.set('q', search);
    if (filters.status) next.set('status', filters.status);
    if (filters.currency) next.set('currency', filters.currency);
    for (const [key, value] of Object.entries(extra)) next.set(key, value);
    return `/accounts?${next}`;
  };

  return (
    <>
      <PageHeading
        title="Accounts"
        actions={
          <>
            <LiveUpdates after={encodeCheckpoint(checkpoint)} />
            {can(user.role, 'accounts:open') ? (
              <OpenAccountDialog currencies={CURRENCY_CODES} />
            ) : null}
          </>
        }
      >
        Search by account id or owner; balances are shown in each account&apos;s own currency.
      </PageHeading>

      <form
        method="get"
        action="/accounts"
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
        role="search"
      >
        <div className="min-w-64 grow">
          <label htmlFor="accounts-q" className="block text-xs font-medium text-slate-700">
            Account id or owner
          </label>
          <TextInput
            id="accounts-q"
            name="q"
            defaultValue={search}
            placeholder="acc_… or cust_…"
            className="mt-1"
          />
        </div>
        <div>
          <label htmlFor="accounts-status" className="block text-xs font-medium text-slate-700">
            Status
          </label>
          <Select
            id="accounts-status"
            name="status"
            defaultValue={filters.status ?? ''}
            className="mt-1"
          >
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="frozen">Frozen</option>
          </Select>
        </div>
        <div>
          <label htmlFor="accounts-currency" className="block text-xs font-medium text-slate-700">
            Currency
          </label>
          <Select
            id="accounts-currency"
            name="currency"
            defaultValue={filters.currency ?? ''}
            className="mt-1"
          >
            <option value="">Any</option>
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>

      {page.accounts.length === 0 ? (
        <EmptyState
          title={
            search || filters.status || filters.currency
              ? 'No accounts match these filters.'
              : 'No accounts yet.'
          }
        >
          {can(user.role, 'accounts:open') ? 'Open one with the button above.' : null}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="accounts-table">
            <TableHead
              columns={[
                { label: 'Account' },
                { label: 'Owner' },
                { label: 'Status' },
                { label: 'Balance', numeric: true },
                { label: 'Events', numeric: true },
                { label: 'Last activity' },
              ]}
            />
            <tbody className="divide-y divide-slate-100">
              {page.accounts.map((account) => (
                <tr key={account.id}>
                  <td className="px-4 py-2 font-mono">
                    <Link
                      href={`/accounts/${account.id}`}
                      className="text-sky-800 underline-offset-2 hover:underline"
                    >
                      {account.id}
                    </Link>
                  </td>
                  <td className="px-4 py-2">{account.ownerId}</td>
                  <td className="px-4 py-2">
                    <AccountStatusBadge frozen={account.frozen} />
                  </td>
                  <td className="px-4 py-2 text-right">
                    <Amount minor={account.balanceMinor.toString()} currency={account.currency} />
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{account.version}</td>
                  <td className="px-4 py-2 text-slate-600 tabular-nums">
                    {formatUtc(account.lastEventAt.toISOString())}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
        {after ? (
          <Link href={query({})} className="text-sky-800 underline">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {page.nextAfterId ? (
          <Link href={query({ after: page.nextAfterId })} className="text-sky-800 underline">
            Next page →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
