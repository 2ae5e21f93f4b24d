// The pieces of the disputes queue: how many cases stand in each status (and how many are
// overdue), the filters (a plain GET form, so they live in the URL and survive a reload), and the
// table of cases.

import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatUtc } from '@/lib/format-time';
import {
  DISPUTE_REASON_CODES,
  DISPUTE_REASON_LABELS,
  DISPUTE_STATUSES,
  DISPUTE_STATUS_LABELS,
  type DisputeStatus,
} from '@/lib/ledger/dispute/dispute-rules';
import type { DisputeRecord } from '@/lib/server/aggregates/dispute/dispute-record';
import { Amount } from '../ui/amount';
import { Button } from '../ui/button';
import { Select } from '../ui/field';
import { TableHead } from '../ui/table-head';
import { DisputeStatusBadge, OverdueBadge } from './dispute-badges';

export function DisputeCounts({
  counts,
}: {
  counts: { byStatus: Record<DisputeStatus, number>; overdue: number };
}) {
  const tiles = [
    ...DISPUTE_STATUSES.map((status) => ({
      key: status,
      label: DISPUTE_STATUS_LABELS[status],
      count: counts.byStatus[status],
      href: `/disputes?status=${status}`,
    })),
    { key: 'overdue', label: 'Overdue', count: counts.overdue, href: '/disputes?overdue=true' },
  ];
  return (
    <ul
      aria-label="Cases by status"
      className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7"
      data-testid="dispute-counts"
    >
      {tiles.map((tile) => (
        <li key={tile.key}>
          <Link
            href={tile.href}
            className={`block rounded-lg border bg-white p-3 hover:bg-slate-50 ${
              tile.key === 'overdue' && tile.count > 0 ? 'border-red-300' : 'border-slate-200'
            }`}
            data-testid={`dispute-count-${tile.key}`}
          >
            <span className="block text-xs uppercase tracking-wide text-slate-500">
              {tile.label}
            </span>
            <span className="text-2xl font-semibold tabular-nums">{tile.count}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function FilterSelect({
  id,
  name,
  label,
  value,
  children,
}: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <Select id={id} name={name} defaultValue={value ?? ''} className="mt-1">
        {children}
      </Select>
    </div>
  );
}

export function DisputeFilters({
  raw,
  assignees,
  error,
}: {
  raw: Record<string, string>;
  assignees: ReadonlyArray<{ id: string; name: string; email: string; disabledAt: Date | null }>;
  error: string | null;
}) {
  return (
    <form
      method="get"
      action="/disputes"
      role="search"
      aria-label="Filter cases"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      {raw.accountId ? <input type="hidden" name="accountId" value={raw.accountId} /> : null}
      <FilterSelect id="disputes-status" name="status" label="Status" value={raw.status}>
        <option value="">Any</option>
        {DISPUTE_STATUSES.map((status) => (
          <option key={status} value={status}>
            {DISPUTE_STATUS_LABELS[status]}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="disputes-reason" name="reasonCode" label="Reason" value={raw.reasonCode}>
        <option value="">Any</option>
        {DISPUTE_REASON_CODES.map((reason) => (
          <option key={reason} value={reason}>
            {DISPUTE_REASON_LABELS[reason]}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="disputes-assignee" name="assignee" label="Assignee" value={raw.assignee}>
        <option value="">Anyone</option>
        <option value="none">Unassigned</option>
        {assignees.map((assignee) => (
          <option key={assignee.id} value={assignee.id}>
            {assignee.name} ({assignee.email}){assignee.disabledAt ? ' — disabled' : ''}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect id="disputes-overdue" name="overdue" label="Due" value={raw.overdue}>
        <option value="">Any</option>
        <option value="true">Overdue only</option>
        <option value="false">Not overdue</option>
      </FilterSelect>
      <FilterSelect id="disputes-sort" name="sort" label="Sort" value={raw.sort}>
        <option value="newest">Newest first</option>
        <option value="urgent">Most urgent (soonest due)</option>
      </FilterSelect>
      <Button type="submit" variant="secondary">
        Filter
      </Button>
      <Link href="/disputes" className="self-center text-sm text-sky-800 underline">
        Clear filters
      </Link>
      {raw.accountId ? (
        <p className="w-full text-sm text-slate-600">
          Only cases on account <span className="font-mono">{raw.accountId}</span>.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700" data-testid="filter-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function DisputeTable({
  items,
  names,
}: {
  items: readonly DisputeRecord[];
  names: ReadonlyMap<string, string>;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="disputes-table">
        <TableHead
          spacing="compact"
          columns={[
            { label: 'Case' },
            { label: 'Amount', numeric: true },
            { label: 'Account' },
            { label: 'Reason' },
            { label: 'Status' },
            { label: 'Assignee' },
            { label: 'Due (UTC)' },
            { label: 'Opened (UTC)' },
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {items.map((dispute) => (
            <tr key={dispute.id} data-testid="dispute-row" data-dispute-id={dispute.id}>
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={`/disputes/${dispute.id}`} className="text-sky-800 underline">
                  Case {dispute.id.slice(-8)}
                </Link>
              </td>
              <td className="px-3 py-2 text-right">
                <Amount minor={dispute.amountMinor.toString()} currency={dispute.currency} />
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={`/accounts/${dispute.accountId}`} className="underline">
                  {dispute.accountId}
                </Link>
              </td>
              <td className="px-3 py-2">{DISPUTE_REASON_LABELS[dispute.reasonCode]}</td>
              <td className="px-3 py-2">
                <DisputeStatusBadge status={dispute.status} />
              </td>
              <td className="px-3 py-2">
                {dispute.assigneeId ? (
                  (names.get(dispute.assigneeId) ?? dispute.assigneeId)
                ) : (
                  <span className="text-slate-500">Unassigned</span>
                )}
              </td>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                {formatUtc(dispute.dueBy.toISOString())}
                {dispute.overdue ? <OverdueBadge /> : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap tabular-nums text-slate-600">
                {formatUtc(dispute.openedAt.toISOString())}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
