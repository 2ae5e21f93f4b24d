import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { OpenDisputeDialog } from '@/components/disputes/dispute-dialogs';
import { describeEvent, eventTypeLabel } from '@/components/ledger/event-labels';
import { Amount } from '@/components/ui/amount';
import { Badge } from '@/components/ui/badge';
import { Instant } from '@/components/ui/instant';
import { Forbidden } from '@/components/ui/states';
import { can } from '@/lib/auth/permissions';
import { refOfStream } from '@/lib/ledger/aggregate';
import { isCurrencyCode } from '@/lib/ledger/currencies';
import { guardPage } from '@/lib/server/auth/guard-page';
import { readChargeStandings } from '@/lib/server/disputes/read-charge-standings';
import type { RecordedEvent } from '@/lib/server/event-store/types';
import { actorsOf, describeActors } from '@/lib/server/queries/describe-actors';
import { getEventDetails } from '@/lib/server/queries/get-event-details';
import { toEventViewModel } from '@/lib/server/to-view-models';
import type { EventViewModel } from '@/lib/view-models';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Event ${id.slice(0, 8)}` };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-4">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm sm:col-span-3">{children}</dd>
    </div>
  );
}

function EventLink({ event }: { event: EventViewModel }) {
  return (
    <li className="flex flex-wrap items-baseline gap-2">
      <Link href={`/events/${event.eventId}`} className="text-sky-800 underline">
        {eventTypeLabel(event.type)}
      </Link>
      <span className="text-slate-600">{describeEvent(event)}</span>
      {event.accountId ? (
        <Link
          href={`/accounts/${event.accountId}`}
          className="font-mono text-xs text-slate-500 underline"
        >
          {event.accountId} v{event.version}
        </Link>
      ) : null}
      <span className="text-xs text-slate-500">
        <Instant iso={event.occurredAt} />
      </span>
    </li>
  );
}

export default async function EventPage({ params }: { params: Params }) {
  const { id } = await params;
  const { user, allowed } = await guardPage('accounts:read', {
    resource: id,
    returnTo: `/events/${id}`,
  });
  if (!allowed) return <Forbidden what="view events" />;
  const details = await getEventDetails({ eventId: id });
  if (!details) notFound();
  const standing = details.charge
    ? (await readChargeStandings({ eventIds: [details.event.eventId] })).get(details.event.eventId)
    : undefined;
  const related: RecordedEvent[] = [
    details.event,
    ...(details.cause ? [details.cause] : []),
    ...details.consequences,
    ...details.correlated,
  ];
  const labels = await describeActors({
    actors: related.flatMap((event) => actorsOf(event.metadata)),
  });
  const event = toEventViewModel(details.event, labels);
  const currency =
    typeof event.data.currency === 'string' && isCurrencyCode(event.data.currency)
      ? event.data.currency
      : null;
  const amountMinor = typeof event.data.amountMinor === 'string' ? event.data.amountMinor : null;
  const otherLegs = details.correlated.filter(
    (other) => other.type === 'transfer_initiated' || other.type === 'transfer_completed',
  );
  const otherCorrelated = details.correlated.filter((other) => !otherLegs.includes(other));
  const stream = refOfStream(event.streamId);
  const caseId =
    stream?.kind === 'dispute'
      ? stream.id
      : typeof event.data.disputeId === 'string'
        ? event.data.disputeId
        : (standing?.openDisputeId ?? null);
  const mayDispute =
    can(user.role, 'disputes:work') &&
    currency !== null &&
    standing !== undefined &&
    standing.openDisputeId === null &&
    standing.reversibleMinor > 0n;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        {event.accountId ? (
          <>
            <Link href="/accounts" className="underline">
              Accounts
            </Link>{' '}
            /{' '}
            <Link href={`/accounts/${event.accountId}`} className="font-mono underline">
              {event.accountId}
            </Link>{' '}
            / event {event.version}
          </>
        ) : (
          'Event'
        )}
      </nav>
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <h1 className="flex flex-wrap items-center gap-3 text-xl font-semibold">
          {eventTypeLabel(event.type)}
          {currency && amountMinor ? <Amount minor={amountMinor} currency={currency} /> : null}
        </h1>
        <p className="mt-1 text-sm text-slate-600">{describeEvent(event)}</p>
        {details.charge ? (
          <p className="mt-2 text-sm" data-testid="charge-status">
            <Badge
              tone={
                details.charge.reversedMinor === details.charge.amountMinor
                  ? 'info'
                  : details.charge.reversedMinor > 0n
                    ? 'warning'
                    : 'neutral'
              }
            >
              {details.charge.reversedMinor === 0n
                ? 'Nothing given back'
                : details.charge.reversedMinor === details.charge.amountMinor
                  ? 'Given back in full'
                  : 'Partly given back'}
            </Badge>{' '}
            {currency ? (
              <>
                <Amount minor={details.charge.reversedMinor.toString()} currency={currency} /> of{' '}
                <Amount minor={details.charge.amountMinor.toString()} currency={currency} /> given
                back (reversals, dispute refunds and provisional credit not taken back)
              </>
            ) : null}
          </p>
        ) : null}
        {caseId || mayDispute ? (
          <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
            {caseId ? (
              <Link
                href={`/disputes/${caseId}`}
                className="text-sky-800 underline"
                data-testid="dispute-case-link"
              >
                {standing?.openDisputeId === caseId ? 'Disputed: open case' : 'Dispute case'}
              </Link>
            ) : null}
            {mayDispute && currency && standing ? (
              <OpenDisputeDialog
                chargeEventId={event.eventId}
                currency={currency}
                chargeMinor={standing.amountMinor.toString()}
                reversibleMinor={standing.reversibleMinor.toString()}
                triggerVariant="secondary"
              />
            ) : null}
          </div>
        ) : null}
        <dl className="mt-4 divide-y divide-slate-100">
          <Row label="Event id">
            <span className="font-mono">{event.eventId}</span>
          </Row>
          <Row label="Stream and version">
            <span className="font-mono">
              {event.streamId} · v{event.version}
            </span>
          </Row>
          <Row label="Global position">
            <span className="font-mono">{event.position}</span>
          </Row>
          <Row label="Occurred at (effective)">
            <Instant iso={event.occurredAt} withMilliseconds />
          </Row>
          <Row label="Recorded at (database)">
            <Instant iso={event.recordedAt} withMilliseconds />
          </Row>
          <Row label="Actor">{event.actorLabel}</Row>
          <Row label="Correlation id">
            <span className="font-mono">{event.metadata.correlationId}</span>
          </Row>
          <Row label="Hash">
            <span className="break-all font-mono text-xs" data-testid="event-hash">
              {event.hash}
            </span>
          </Row>
          <Row label="Previous hash">
            <span className="break-all font-mono text-xs">{event.prevHash}</span>
          </Row>
        </dl>
      </section>

      <section className="grid gap-6 lg:grid-cols-2">
        <div className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 className="text-base font-semibold">What caused what</h2>
          <dl className="mt-2 space-y-3 text-sm">
            <div>
              <dt className="text-slate-500">Caused by</dt>
              <dd>
                {details.cause ? (
                  <ul>
                    <EventLink event={toEventViewModel(details.cause, labels)} />
                  </ul>
                ) : (
                  'A request from the actor above.'
                )}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">
                {event.type === 'funds_withdrawn' || event.type === 'held_funds_captured'
                  ? 'Reversals and disputes of this charge'
                  : 'Events it caused'}
              </dt>
              <dd>
                {details.consequences.length ? (
                  <ul className="space-y-1" data-testid="consequences">
                    {details.consequences.map((item) => (
                      <EventLink key={item.eventId} event={toEventViewModel(item, labels)} />
                    ))}
                  </ul>
                ) : (
                  'None.'
                )}
              </dd>
            </div>
            {otherLegs.length ? (
              <div>
                <dt className="text-slate-500">Other leg of the transfer</dt>
                <dd>
                  <ul className="space-y-1" data-testid="other-leg">
                    {otherLegs.map((item) => (
                      <EventLink key={item.eventId} event={toEventViewModel(item, labels)} />
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
            <div id="correlated">
              <dt className="text-slate-500">Recorded in the same request</dt>
              <dd>
                {otherCorrelated.length ? (
                  <ul className="space-y-1">
                    {otherCorrelated.map((item) => (
                      <EventLink key={item.eventId} event={toEventViewModel(item, labels)} />
                    ))}
                  </ul>
                ) : (
                  'Nothing else.'
                )}
              </dd>
            </div>
          </dl>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 className="text-base font-semibold">Raw event</h2>
          <p className="mt-1 text-xs text-slate-500">
            Exactly what is stored and hashed (amounts in minor units). See
            docs/decisions/002-hash-chain.md to verify it yourself.
          </p>
          <pre
            className="mt-3 max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
            data-testid="raw-event"
          >
            {JSON.stringify(
              {
                type: event.type,
                schemaVersion: event.schemaVersion,
                data: event.data,
                metadata: event.metadata,
              },
              null,
              2,
            )}
          </pre>
        </div>
      </section>
    </div>
  );
}
