import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { describeEvent, eventTypeLabel } from '@/components/ledger/event-labels';
import { actorsOf, describeActors } from '@/lib/server/queries/describe-actors';
import { actorLabelOf } from '@/lib/server/to-view-models';
import { PrintButton } from '@/components/ledger/print-button';
import { Amount } from '@/components/ui/amount';
import { Button } from '@/components/ui/button';
import { TextInput } from '@/components/ui/field';
import { Forbidden } from '@/components/ui/states';
import { AppError } from '@/lib/errors';
import type { SignedStatement, StatementLine } from '@/lib/evidence/statement';
import { formatUtc } from '@/lib/format-time';
import type { CurrencyCode } from '@/lib/ledger/currencies';
import { ACCOUNT_ID_PATTERN } from '@/lib/ledger/limits';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import { guardPage } from '@/lib/server/auth/guard-page';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { buildStatement } from '@/lib/server/statements/build-statement';

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Lines per printed page: a page with the heading and totals holds about this many. */
const LINES_PER_PAGE = 40;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Statement · ${id}` };
}

function instantParam(value: string | string[] | undefined): Date | null | 'invalid' {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = utcInstantSchema.safeParse(value);
  return parsed.success ? parsed.data : 'invalid';
}

/** The first instant of the current month, UTC: a statement's usual start. */
function startOfMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function pages<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size)
    result.push(items.slice(index, index + size));
  return result.length ? result : [[]];
}

export default async function StatementPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  const query = await searchParams;
  const { user, allowed } = await guardPage('accounts:read', {
    resource: id,
    returnTo: `/accounts/${id}/statement`,
  });
  if (!allowed) return <Forbidden what="view statements" />;
  if (!ACCOUNT_ID_PATTERN.test(id)) notFound();

  const now = new Date();
  const fromParam = instantParam(query.from);
  const toParam = instantParam(query.to);
  const knownAtParam = instantParam(query.knownAt);
  const knownAt = knownAtParam instanceof Date ? knownAtParam : undefined;
  const to = toParam instanceof Date ? toParam : now;
  const from = fromParam instanceof Date ? fromParam : startOfMonth(to);
  let statement: SignedStatement | null = null;
  let error: string | null =
    fromParam === 'invalid' || toParam === 'invalid' || knownAtParam === 'invalid'
      ? 'Use ISO 8601 instants, e.g. 2026-03-01T00:00:00Z.'
      : null;
  if (!error) {
    try {
      statement = await buildStatement({
        accountId: id,
        from,
        to,
        knownAt,
        db: await sessionReads(user.id),
      });
      if (!statement) notFound();
    } catch (caught) {
      if (!(caught instanceof AppError)) throw caught;
      error = caught.message;
    }
  }
  // Lines run on approval name both people: the maker and the checker, in words.
  const actorLabels = await describeActors({
    actors: [
      ...(statement?.statement.lines ?? []),
      ...(statement?.statement.effective?.laterCorrections ?? []),
    ]
      .filter((line) => line.event.metadata.approvedBy)
      .flatMap((line) => actorsOf(line.event.metadata as { actor: string; approvedBy?: string })),
  });
  const period = new URLSearchParams({
    from: from.toISOString(),
    to: to.toISOString(),
    ...(knownAt ? { knownAt: knownAt.toISOString() } : {}),
  });

  return (
    <div className="space-y-6 print:space-y-3">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500 print:hidden">
        <Link href="/accounts" className="underline">
          Accounts
        </Link>{' '}
        /{' '}
        <Link href={`/accounts/${id}`} className="font-mono underline">
          {id}
        </Link>{' '}
        / Statement
      </nav>

      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 print:hidden"
        method="get"
      >
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-700">From (UTC, exclusive)</span>
          <TextInput name="from" defaultValue={from.toISOString()} className="mt-1 w-64" />
        </label>
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-700">To (UTC, inclusive)</span>
          <TextInput name="to" defaultValue={to.toISOString()} className="mt-1 w-64" />
        </label>
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-700">
            As known at (optional: what Chronicle had by then)
          </span>
          <TextInput
            name="knownAt"
            defaultValue={knownAt?.toISOString() ?? ''}
            placeholder="now"
            className="mt-1 w-64"
          />
        </label>
        <Button type="submit" size="sm" variant="secondary">
          Show
        </Button>
        {statement ? (
          <>
            <PrintButton />
            <Button asChild size="sm" variant="secondary">
              <a
                href={`/api/accounts/${id}/statement?${period}`}
                download
                data-testid="statement-json"
              >
                Download signed JSON
              </a>
            </Button>
          </>
        ) : null}
      </form>

      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {statement ? <StatementDocument signed={statement} actorLabels={actorLabels} /> : null}
    </div>
  );
}

function StatementDocument({
  signed,
  actorLabels,
}: {
  signed: SignedStatement;
  actorLabels: ReadonlyMap<string, string>;
}) {
  const body = signed.statement;
  const currency = body.account.currency as CurrencyCode;
  const proven = body.lines.filter((line) => line.proof !== null).length;
  const unsealed = body.lines.length - proven;
  const numbers = body.checkpoints.map((checkpoint) => checkpoint.checkpoint.number);
  const sheets = pages(body.lines, LINES_PER_PAGE);
  return (
    <article
      className="rounded-lg border border-slate-200 bg-white p-6 print:border-0 print:p-0"
      data-testid="statement"
    >
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-4">
        <div>
          <p className="text-xs uppercase tracking-wide text-slate-500">
            Chronicle · account statement
          </p>
          <h1 className="mt-1 font-mono text-xl font-semibold">{body.account.id}</h1>
          <p className="mt-1 text-sm text-slate-600">
            Owner {body.account.ownerId} · {currency}
          </p>
        </div>
        <dl className="text-right text-sm">
          <dt className="text-xs text-slate-500">Period</dt>
          <dd>
            after {formatUtc(body.from)}
            <br />
            up to {formatUtc(body.to)}
          </dd>
          <dt className="mt-2 text-xs text-slate-500">Generated</dt>
          <dd>{formatUtc(body.generatedAt)}</dd>
          {body.knownAt ? (
            <>
              <dt className="mt-2 text-xs text-slate-500">As Chronicle knew it at</dt>
              <dd data-testid="statement-known-at">{formatUtc(body.knownAt)}</dd>
            </>
          ) : null}
        </dl>
      </header>

      <dl
        className="grid grid-cols-2 gap-4 border-b border-slate-200 py-4 text-sm sm:grid-cols-4"
        data-testid="statement-totals"
      >
        <Figure
          label="Opening balance"
          minor={body.openingBalanceMinor}
          currency={currency}
          testId="statement-opening"
          strong
        />
        <Figure label="Money in" minor={body.totals.creditsMinor} currency={currency} />
        <Figure label="Money out" minor={body.totals.debitsMinor} currency={currency} />
        <Figure
          label="Closing balance"
          minor={body.closingBalanceMinor}
          currency={currency}
          testId="statement-closing"
          strong
        />
      </dl>

      <EffectiveTime body={body} currency={currency} actorLabels={actorLabels} />

      <p className="py-3 text-sm text-slate-700" data-testid="statement-verification">
        {body.lines.length === 0
          ? 'No events in this period.'
          : unsealed === 0
            ? `All ${body.lines.length} lines are sealed in signed checkpoint${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}.`
            : `${proven} of ${body.lines.length} lines are sealed in signed checkpoint${numbers.length === 1 ? '' : 's'} ${numbers.join(', ') || '—'}; ${unsealed} ${unsealed === 1 ? 'is' : 'are'} newer than the last checkpoint and not yet sealed.`}{' '}
        Signed with key <span className="font-mono">{body.keyId}</span>; check it offline with{' '}
        <code className="rounded bg-slate-100 px-1">npm run verify -- statement.json</code>.
      </p>

      {sheets.map((sheet, page) => (
        <div
          key={page}
          className={page < sheets.length - 1 ? 'break-after-page' : undefined}
          data-testid="statement-page"
        >
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th className="py-2 pr-3 font-medium">Occurred (UTC)</th>
                <th className="py-2 pr-3 font-medium">Description</th>
                <th className="py-2 pr-3 text-right font-medium">Amount</th>
                <th className="py-2 pr-3 text-right font-medium">Balance</th>
                <th className="py-2 font-medium">Sealed</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {sheet.map((line) => (
                <StatementRow
                  key={line.event.eventId}
                  line={line}
                  currency={currency}
                  actorLabels={actorLabels}
                />
              ))}
            </tbody>
          </table>
          <p className="hidden pt-2 text-right text-xs text-slate-500 print:block">
            {body.account.id} · page {page + 1} of {sheets.length}
          </p>
        </div>
      ))}
    </article>
  );
}

/**
 * The period by effective time, when backdated corrections make it differ from the lines (which
 * are in recording order): the balances at its start and end as now known (or as known at
 * knownAt), and the corrections recorded after it that took effect in or before it.
 */
function EffectiveTime({
  body,
  currency,
  actorLabels,
}: {
  body: SignedStatement['statement'];
  currency: CurrencyCode;
  actorLabels: ReadonlyMap<string, string>;
}) {
  const effective = body.effective;
  if (
    !effective ||
    (effective.laterCorrections.length === 0 &&
      effective.openingBalanceMinor === body.openingBalanceMinor &&
      effective.closingBalanceMinor === body.closingBalanceMinor)
  )
    return null;
  return (
    <section
      aria-labelledby="statement-effective-heading"
      className="border-b border-slate-200 py-4 text-sm"
      data-testid="statement-effective"
    >
      <h2 id="statement-effective-heading" className="font-semibold">
        By effective time
      </h2>
      <p className="mt-1 text-slate-600">
        Backdated corrections counted at the instant they took effect, not when they were recorded
        {body.knownAt ? `, as Chronicle knew them at ${formatUtc(body.knownAt)}` : ', as known now'}
        .
      </p>
      <dl className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Figure
          label="Opening balance"
          minor={effective.openingBalanceMinor}
          currency={currency}
          testId="statement-effective-opening"
          strong
        />
        <Figure
          label="Closing balance"
          minor={effective.closingBalanceMinor}
          currency={currency}
          testId="statement-effective-closing"
          strong
        />
      </dl>
      {effective.laterCorrections.length > 0 ? (
        <>
          <h3 className="mt-3 text-xs font-medium uppercase tracking-wide text-slate-500">
            Corrections recorded after the period that took effect in or before it
          </h3>
          <ul className="mt-1 space-y-1" data-testid="statement-later-corrections">
            {effective.laterCorrections.map(({ event, amountDeltaMinor, proof }) => {
              const metadata = event.metadata as { actor: string; approvedBy?: string };
              return (
                <li key={event.eventId} data-testid="statement-later-correction">
                  <Amount minor={amountDeltaMinor} currency={currency} signed />, recorded{' '}
                  {formatUtc(event.occurredAt)}
                  {' · '}
                  <span className="text-slate-600">{describeEvent(event)}</span>
                  {metadata.approvedBy ? (
                    <span className="text-xs text-slate-500">
                      {' '}
                      · initiated by {actorLabelOf({ actor: metadata.actor }, actorLabels)},
                      approved by {actorLabelOf({ actor: metadata.approvedBy }, actorLabels)}
                    </span>
                  ) : null}
                  <span className="text-xs text-slate-500">
                    {' '}
                    · {proof ? `sealed #${proof.checkpoint}` : 'not yet sealed'}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** One labelled amount of the statement's summary. */
function Figure({
  label,
  minor,
  currency,
  testId,
  strong = false,
}: {
  label: string;
  minor: string;
  currency: CurrencyCode;
  testId?: string;
  strong?: boolean;
}) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd data-testid={testId}>
        <Amount
          minor={minor}
          currency={currency}
          className={strong ? 'font-semibold' : undefined}
        />
      </dd>
    </div>
  );
}

function StatementRow({
  line,
  currency,
  actorLabels,
}: {
  line: StatementLine;
  currency: CurrencyCode;
  actorLabels: ReadonlyMap<string, string>;
}) {
  const { event } = line;
  const metadata = event.metadata as { actor: string; approvedBy?: string };
  return (
    <tr className="align-top" data-testid="statement-line">
      <td className="py-1.5 pr-3 whitespace-nowrap tabular-nums">{formatUtc(event.occurredAt)}</td>
      <td className="py-1.5 pr-3">
        <span className="font-medium">{eventTypeLabel(event.type)}</span>{' '}
        <span className="text-slate-600">{describeEvent(event)}</span>
        {metadata.approvedBy ? (
          <div className="text-xs text-slate-500" data-testid="statement-approval">
            Initiated by {actorLabelOf({ actor: metadata.actor }, actorLabels)}, approved by{' '}
            {actorLabelOf({ actor: metadata.approvedBy }, actorLabels)}
          </div>
        ) : null}
      </td>
      <td className="py-1.5 pr-3 text-right">
        {line.amountDeltaMinor !== '0' ? (
          <Amount minor={line.amountDeltaMinor} currency={currency} signed showCurrency={false} />
        ) : null}
      </td>
      <td className="py-1.5 pr-3 text-right">
        <Amount minor={line.balanceAfterMinor} currency={currency} showCurrency={false} />
      </td>
      <td className="py-1.5 text-xs text-slate-600">
        {line.proof ? `#${line.proof.checkpoint}` : 'not yet'}
      </td>
    </tr>
  );
}
