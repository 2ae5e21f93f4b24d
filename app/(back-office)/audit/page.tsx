import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { describeEvent, eventTypeLabel } from '@/components/ledger/event-labels';
import { Amount } from '@/components/ui/amount';
import { Button } from '@/components/ui/button';
import { Select, TextInput } from '@/components/ui/field';
import { Instant } from '@/components/ui/instant';
import { EmptyState, Forbidden, PageHeading } from '@/components/ui/states';
import { can } from '@/lib/auth/permissions';
import { ADMIN_EVENT_TYPES, describeAdminChange } from '@/lib/admin/admin-events';
import { EVENT_TYPES, movementOf } from '@/lib/ledger/events';
import { auditFiltersSchema, type AuditFilters } from '@/lib/schemas/audit-filters';
import { guardPage } from '@/lib/server/auth/guard-page';
import { getPool } from '@/lib/server/db/pool';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { getIntegrityStatus } from '@/lib/server/integrity/get-integrity-status';
import { actorsOf, describeActors } from '@/lib/server/queries/describe-actors';
import { listAccessDenials } from '@/lib/server/queries/list-access-denials';
import { listAuditEvents } from '@/lib/server/queries/list-audit-events';
import { listAdminActions } from '@/lib/server/queries/list-admin-actions';
import { toEventViewModel } from '@/lib/server/to-view-models';
import { TableHead } from '@/components/ui/table-head';
import { IntegrityPanel } from '@/components/audit/integrity-panel';
import { MAX_INT64 } from '@/lib/ledger/limits';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function singleValues(
  params: Record<string, string | string[] | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/** A titled section of the audit page whose content streams in when it is ready. */
function AuditPanel({
  id,
  title,
  loading = 'Loading…',
  children,
}: {
  id: string;
  title: string;
  loading?: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="mb-6 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id={`${id}-heading`} className="mb-2 text-sm font-semibold">
        {title}
      </h2>
      <Suspense fallback={<p className="text-sm text-slate-500">{loading}</p>}>{children}</Suspense>
    </section>
  );
}

async function IntegrityCheck({ canReverify }: { canReverify: boolean }) {
  const status = await getIntegrityStatus({ db: getPool() });
  return <IntegrityPanel status={status} canReverify={canReverify} />;
}

async function AdminActions() {
  const { actions } = await listAdminActions({ limit: 20 });
  if (actions.length === 0)
    return <p className="text-sm text-slate-600">No administrative actions recorded.</p>;
  const labels = await describeActors({ actors: actions.map((action) => action.actor) });
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="admin-actions">
        <TableHead
          spacing="inline"
          columns={[{ label: 'When' }, { label: 'Who' }, { label: 'Did' }, { label: 'Change' }]}
        />
        <tbody className="divide-y divide-slate-100">
          {actions.map((action) => (
            <tr key={action.eventId}>
              <td className="py-1 pr-4 whitespace-nowrap">
                <Link href={`/events/${action.eventId}`} className="text-sky-800 underline">
                  <Instant iso={action.occurredAt.toISOString()} />
                </Link>
              </td>
              <td className="py-1 pr-4 text-xs">{labels.get(action.actor) ?? action.actor}</td>
              <td className="py-1 pr-4 text-xs">
                {eventTypeLabel(action.type)}: {action.subject.label}
              </td>
              <td className="py-1 text-xs">{describeAdminChange(action)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function RefusedAttempts() {
  const denials = await listAccessDenials({ limit: 20 });
  if (denials.length === 0)
    return <p className="text-sm text-slate-600">No refused attempts recorded.</p>;
  const labels = await describeActors({ actors: denials.map((denial) => denial.actor) });
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="access-denials">
        <TableHead
          spacing="inline"
          columns={[
            { label: 'When' },
            { label: 'Who' },
            { label: 'Tried to' },
            { label: 'On' },
            { label: 'Through' },
          ]}
        />
        <tbody className="divide-y divide-slate-100">
          {denials.map((denial, index) => (
            <tr key={index}>
              <td className="py-1 pr-4 whitespace-nowrap">
                <Instant iso={denial.occurredAt.toISOString()} />
              </td>
              <td className="py-1 pr-4 text-xs">
                {labels.get(denial.actor) ?? denial.actor}
                {denial.role ? ` · ${denial.role}` : ''}
              </td>
              <td className="py-1 pr-4 font-mono text-xs">{denial.action}</td>
              <td className="py-1 pr-4 font-mono text-xs">{denial.resource ?? '—'}</td>
              <td className="py-1 text-xs">
                {denial.channel === 'api' ? 'HTTP API' : 'Back office'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One text filter of the audit log's form: a label over its input. */
function FilterField(props: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  placeholder?: string;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-xs font-medium text-slate-700">
        {props.label}
      </label>
      <TextInput
        id={props.id}
        name={props.name}
        defaultValue={props.value}
        placeholder={props.placeholder}
        className="mt-1"
      />
    </div>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, allowed } = await guardPage('audit:read', { returnTo: '/audit' });
  if (!allowed) return <Forbidden what="read the audit log" />;
  const raw = singleValues(await searchParams);
  const parsed = auditFiltersSchema.safeParse(raw);
  const filters: AuditFilters = parsed.success ? parsed.data : {};
  const filterError = parsed.success
    ? null
    : (parsed.error.issues[0]?.message ?? 'Invalid filters.');
  const before =
    /^\d{1,19}$/.test(raw.before ?? '') && BigInt(raw.before as string) <= MAX_INT64
      ? BigInt(raw.before as string)
      : undefined;
  // Filters that do not parse list nothing: an unfiltered list under an error would pass for
  // the answer to the question asked.
  const page = parsed.success
    ? await listAuditEvents({ filters, beforePosition: before, db: await sessionReads(user.id) })
    : { events: [], nextBeforePosition: null };
  const labels = await describeActors({
    actors: page.events.flatMap((event) => actorsOf(event.metadata)),
  });
  const filterQuery = new URLSearchParams(
    Object.entries(raw).filter(
      ([key, value]) =>
        ['account', 'type', 'actor', 'from', 'to', 'at', 'knownAt'].includes(key) && value !== '',
    ),
  );

  return (
    <>
      <PageHeading
        title="Audit log"
        actions={
          can(user.role, 'audit:export') && !filterError ? (
            <Button asChild variant="secondary" size="sm">
              <a href={`/api/audit/export?${filterQuery}`} download data-testid="export-csv">
                Export CSV
              </a>
            </Button>
          ) : null
        }
      >
        Every event in the ledger, newest first. The export contains every event matching the
        filters, oldest first.
      </PageHeading>

      <AuditPanel id="integrity" title="Integrity check" loading="Reading the integrity status…">
        <IntegrityCheck canReverify={can(user.role, 'integrity:reverify')} />
      </AuditPanel>
      <AuditPanel id="admin-actions" title="Administrative actions">
        <AdminActions />
      </AuditPanel>
      {can(user.role, 'security:read') ? (
        <AuditPanel id="denials" title="Refused attempts">
          <RefusedAttempts />
        </AuditPanel>
      ) : null}

      <form
        method="get"
        action="/audit"
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4 lg:grid-cols-8"
        role="search"
      >
        <div className="sm:col-span-1">
          <label htmlFor="audit-account" className="block text-xs font-medium text-slate-700">
            Account
          </label>
          <TextInput
            id="audit-account"
            name="account"
            defaultValue={raw.account}
            className="mt-1"
          />
        </div>
        <div>
          <label htmlFor="audit-type" className="block text-xs font-medium text-slate-700">
            Type
          </label>
          <Select id="audit-type" name="type" defaultValue={raw.type ?? ''} className="mt-1">
            <option value="">Any</option>
            <optgroup label="Ledger">
              {EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {eventTypeLabel(type)}
                </option>
              ))}
            </optgroup>
            <optgroup label="Administration">
              {ADMIN_EVENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {eventTypeLabel(type)}
                </option>
              ))}
            </optgroup>
          </Select>
        </div>
        <FilterField
          id="audit-actor"
          name="actor"
          label="Actor"
          value={raw.actor}
          placeholder="user:… / api_key:…"
        />
        <FilterField
          id="audit-from"
          name="from"
          label="From (UTC)"
          value={raw.from}
          placeholder="2026-03-01"
        />
        <FilterField
          id="audit-to"
          name="to"
          label="To (UTC)"
          value={raw.to}
          placeholder="2026-03-31T23:59"
        />
        {/* The second time axis: a backdated correction is in effect from its effective instant,
            and was known from when it was recorded. */}
        <FilterField
          id="audit-at"
          name="at"
          label="In effect by (UTC)"
          value={raw.at}
          placeholder="any"
        />
        <FilterField
          id="audit-known-at"
          name="knownAt"
          label="As known at (UTC)"
          value={raw.knownAt}
          placeholder="now"
        />
        <div className="flex items-end">
          <Button type="submit" variant="secondary" className="w-full">
            Filter
          </Button>
        </div>
        {filterError ? (
          <p role="alert" className="text-sm text-red-700 sm:col-span-4 lg:col-span-8">
            {filterError}
          </p>
        ) : null}
      </form>

      {page.events.length === 0 ? (
        <EmptyState
          title={
            filterError ? 'Correct the filters to see events.' : 'No events match these filters.'
          }
        />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="audit-table">
            <TableHead
              spacing="compact"
              columns={[
                { label: 'Position', numeric: true },
                { label: 'Occurred at' },
                { label: 'Account' },
                { label: 'Event' },
                { label: 'Amount', numeric: true },
                { label: 'Actor' },
              ]}
            />
            <tbody className="divide-y divide-slate-100">
              {page.events.map((recorded) => {
                const event = toEventViewModel(recorded, labels);
                const movement = movementOf(recorded);
                return (
                  <tr key={event.eventId} className="align-top">
                    <td className="px-3 py-2 text-right font-mono text-xs text-slate-500">
                      {event.position}
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      <Instant iso={event.occurredAt} stacked />
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {event.accountId ? (
                        <Link href={`/accounts/${event.accountId}`} className="underline">
                          {event.accountId}
                        </Link>
                      ) : (
                        event.streamId
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <Link href={`/events/${event.eventId}`} className="text-sky-800 underline">
                        {eventTypeLabel(event.type)}
                      </Link>
                      <div className="text-xs text-slate-600">{describeEvent(event)}</div>
                    </td>
                    <td className="px-3 py-2 text-right">
                      {movement && movement.deltaMinor !== 0n ? (
                        <Amount
                          minor={movement.deltaMinor.toString()}
                          currency={movement.currency}
                          signed
                        />
                      ) : null}
                    </td>
                    <td className="px-3 py-2 text-xs text-slate-600">{event.actorLabel}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
        {before ? (
          <Link href={`/audit?${filterQuery}`} className="text-sky-800 underline">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {page.nextBeforePosition ? (
          <Link
            href={`/audit?${new URLSearchParams([...filterQuery, ['before', page.nextBeforePosition.toString()]])}`}
            className="text-sky-800 underline"
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
