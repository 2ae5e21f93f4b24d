// The read-only parts of a dispute case's page: its summary, the charge it is about (with a link
// to the account as it stood at the charge), its history across the case's and the account's
// streams, and its evidence.

import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatUtc } from '@/lib/format-time';
import { DISPUTE_REASON_LABELS, DISPUTE_STATUS_LABELS } from '@/lib/ledger/dispute/dispute-rules';
import { isCurrencyCode, type CurrencyCode } from '@/lib/ledger/currencies';
import { movementOf } from '@/lib/ledger/events';
import type { DisputeRecord } from '@/lib/server/aggregates/dispute/dispute-record';
import type { EventViewModel } from '@/lib/view-models';
import { describeEvent, eventTypeLabel } from '../ledger/event-labels';
import { Amount } from '../ui/amount';
import { Badge } from '../ui/badge';
import { Instant } from '../ui/instant';
import { TableHead } from '../ui/table-head';
import { DisputeStatusBadge, OverdueBadge } from './dispute-badges';

function Figure({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export function CaseSummary({
  dispute,
  assigneeName,
}: {
  dispute: DisputeRecord;
  assigneeName: string | null;
}) {
  const money = (minor: bigint, testId: string, label: string) => (
    <Figure label={label} testId={testId}>
      <Amount minor={minor.toString()} currency={dispute.currency} />
    </Figure>
  );
  return (
    <section
      aria-labelledby="case-heading"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="case-heading" className="text-xl font-semibold">
          Dispute <span className="font-mono">{dispute.id.slice(-8)}</span>
        </h1>
        <DisputeStatusBadge status={dispute.status} />
        {dispute.overdue ? <OverdueBadge /> : null}
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Account{' '}
        <Link href={`/accounts/${dispute.accountId}`} className="font-mono underline">
          {dispute.accountId}
        </Link>{' '}
        · opened <Instant iso={dispute.openedAt.toISOString()} /> ·{' '}
        <span className="font-mono text-xs">{dispute.id}</span>
      </p>
      <dl className="mt-4 flex flex-wrap gap-x-10 gap-y-3">
        <Figure label="Disputed" testId="dispute-amount">
          <Amount
            minor={dispute.amountMinor.toString()}
            currency={dispute.currency}
            className="text-2xl font-semibold"
          />
        </Figure>
        <Figure label="Reason" testId="dispute-reason">
          {DISPUTE_REASON_LABELS[dispute.reasonCode]}
        </Figure>
        <Figure label="Respond by (UTC)" testId="dispute-due">
          <span className="tabular-nums">{formatUtc(dispute.dueBy.toISOString())}</span>
          {dispute.overdue ? <OverdueBadge /> : null}
        </Figure>
        <Figure label="Assignee" testId="dispute-assignee">
          {assigneeName ?? <span className="text-slate-500">Unassigned</span>}
        </Figure>
      </dl>
      <dl className="mt-4 flex flex-wrap gap-x-10 gap-y-3 border-t border-slate-100 pt-4">
        {money(dispute.provisionalCreditMinor, 'dispute-provisional-credit', 'Provisional credit')}
        {money(dispute.refundedMinor, 'dispute-refunded', 'Refunded')}
        {money(dispute.clawedBackMinor, 'dispute-clawed-back', 'Taken back')}
        {money(dispute.outstandingMinor, 'dispute-outstanding', 'Outstanding (owed)')}
        {money(dispute.writtenOffMinor, 'dispute-written-off', 'Written off')}
      </dl>
      <div className="mt-4 space-y-2 border-t border-slate-100 pt-4 text-sm">
        <p>
          <span className="text-slate-500">The customer says: </span>
          <span className="whitespace-pre-wrap" data-testid="dispute-description">
            {dispute.description}
          </span>
        </p>
        {dispute.outcome ? (
          <p data-testid="dispute-outcome">
            <span className="text-slate-500">Outcome: </span>
            <span className="font-medium">{DISPUTE_STATUS_LABELS[dispute.outcome]}</span>
            {dispute.resolvedAt ? (
              <>
                {' '}
                (<Instant iso={dispute.resolvedAt.toISOString()} />)
              </>
            ) : null}
            {dispute.resolutionNote ? (
              <>
                {' '}
                — <span className="whitespace-pre-wrap">{dispute.resolutionNote}</span>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
    </section>
  );
}

export function ChargeInContext({
  charge,
  currency,
  reversibleMinor,
}: {
  charge: EventViewModel | null;
  currency: CurrencyCode;
  reversibleMinor: bigint | null;
}) {
  if (!charge) {
    return (
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="text-base font-semibold">The charge</h2>
        <p className="mt-2 text-sm text-slate-600">The disputed charge could not be read.</p>
      </section>
    );
  }
  const amountMinor = typeof charge.data.amountMinor === 'string' ? charge.data.amountMinor : '0';
  return (
    <section
      aria-labelledby="charge-heading"
      className="rounded-lg border border-slate-200 bg-white p-5"
      data-testid="disputed-charge"
    >
      <h2 id="charge-heading" className="text-base font-semibold">
        The charge
      </h2>
      <dl className="mt-2 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-500">What</dt>
        <dd>
          <Link href={`/events/${charge.eventId}`} className="text-sky-800 underline">
            {eventTypeLabel(charge.type)}
          </Link>{' '}
          <Amount minor={amountMinor} currency={currency} /> · {describeEvent(charge)}
        </dd>
        <dt className="text-slate-500">When</dt>
        <dd>
          <Instant iso={charge.occurredAt} withMilliseconds />
        </dd>
        <dt className="text-slate-500">By</dt>
        <dd>{charge.actorLabel}</dd>
        {reversibleMinor !== null ? (
          <>
            <dt className="text-slate-500">Left to reverse or dispute</dt>
            <dd>
              <Amount minor={reversibleMinor.toString()} currency={currency} />
            </dd>
          </>
        ) : null}
      </dl>
      {charge.accountId ? (
        <p className="mt-3 text-sm">
          <Link
            href={`/accounts/${charge.accountId}?at=${charge.occurredAt}`}
            className="text-sky-800 underline"
            data-testid="charge-time-travel"
          >
            See the account as it stood at the charge
          </Link>
        </p>
      ) : null}
    </section>
  );
}

export function CaseTimeline({
  events,
  describe,
}: {
  events: readonly EventViewModel[];
  /** Words for an event, where the case knows better than the generic description. */
  describe: (event: EventViewModel) => string;
}) {
  return (
    <section
      aria-labelledby="case-timeline-heading"
      className="rounded-lg border border-slate-200 bg-white"
    >
      <h2
        id="case-timeline-heading"
        className="border-b border-slate-200 px-4 py-3 text-base font-semibold"
      >
        Case history <span className="text-sm font-normal text-slate-500">(oldest first)</span>
      </h2>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="case-timeline">
          <TableHead
            spacing="compact"
            columns={[
              { label: 'When' },
              { label: 'Event' },
              { label: 'Where' },
              { label: 'Amount', numeric: true },
              { label: 'By' },
            ]}
          />
          <tbody className="divide-y divide-slate-100">
            {events.map((event) => {
              const movement = movementOf(event);
              const currency = event.data.currency;
              const amountMinor = event.data.amountMinor;
              return (
                <tr
                  key={event.eventId}
                  className="align-top"
                  data-testid="case-event"
                  data-event-type={event.type}
                >
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Instant iso={event.occurredAt} stacked />
                  </td>
                  <td className="px-3 py-2">
                    <Link href={`/events/${event.eventId}`} className="font-medium text-sky-800">
                      {eventTypeLabel(event.type)}
                    </Link>
                    <div className="mt-1 text-slate-700">{describe(event)}</div>
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {event.accountId ? 'Account' : 'Case'}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {movement ? (
                      <Amount
                        minor={movement.deltaMinor.toString()}
                        currency={movement.currency}
                        signed
                      />
                    ) : typeof amountMinor === 'string' && isCurrencyCode(currency) ? (
                      <Amount minor={amountMinor} currency={currency} />
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">{event.actorLabel}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** "12.3 KiB (12,594 bytes)": readable, and exact for comparing with what was sent. */
function fileSize(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  if (bytes < 1024) return exact;
  const units = bytes < 1024 * 1024 ? ['KiB', 1024] : ['MiB', 1024 * 1024];
  return `${(bytes / (units[1] as number)).toFixed(1)} ${units[0]} (${exact})`;
}

export function EvidenceList({ dispute }: { dispute: DisputeRecord }) {
  return (
    <section
      aria-labelledby="evidence-heading"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="evidence-heading" className="text-base font-semibold">
        Evidence
      </h2>
      {dispute.evidence.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No notes or files yet.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100" data-testid="evidence-list">
          {dispute.evidence.map((item) => (
            <li
              key={item.evidenceId}
              className="py-3 text-sm"
              data-testid="evidence-item"
              data-evidence-kind={item.kind}
            >
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={item.submitted ? 'success' : 'warning'}>
                  {item.submitted ? 'Submitted' : 'Staged'}
                </Badge>
                <span className="font-medium">{item.kind === 'note' ? 'Note' : item.fileName}</span>
                <span className="text-xs text-slate-500">
                  added <Instant iso={item.addedAt.toISOString()} />
                </span>
              </div>
              {item.kind === 'note' ? (
                <p className="mt-1 whitespace-pre-wrap text-slate-800">{item.text}</p>
              ) : (
                <EvidenceFile disputeId={dispute.id} file={item} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EvidenceFile({
  disputeId,
  file,
}: {
  disputeId: string;
  file: Extract<DisputeRecord['evidence'][number], { kind: 'file' }>;
}) {
  const href = `/api/disputes/${disputeId}/evidence/${file.evidenceId}`;
  return (
    <div className="mt-1 space-y-1">
      <p className="text-slate-600">
        {file.contentType} · {fileSize(file.sizeBytes)}
      </p>
      <p className="text-slate-600">
        SHA-256{' '}
        <code className="break-all font-mono text-xs text-slate-900" data-testid="evidence-sha256">
          {file.sha256}
        </code>
      </p>
      <p className="flex gap-4">
        <a href={href} target="_blank" rel="noopener" className="text-sky-800 underline">
          View
        </a>
        <a href={href} download={file.fileName} className="text-sky-800 underline">
          Download
        </a>
      </p>
      {file.contentType.startsWith('image/') ? (
        // eslint-disable-next-line @next/next/no-img-element -- evidence is served as it was uploaded, behind a session check; Next's optimiser would re-encode it.
        <img
          src={href}
          alt={`Evidence: ${file.fileName}`}
          className="mt-2 max-h-64 rounded border border-slate-200"
        />
      ) : null}
    </div>
  );
}
