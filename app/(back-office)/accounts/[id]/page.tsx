import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AccountWorkspace } from '@/components/ledger/account-workspace';
import { LiveUpdates } from '@/components/ledger/live-updates';
import {
  CorrectionDialog,
  DepositDialog,
  FreezeDialog,
  TransferDialog,
  UnfreezeDialog,
  WithdrawDialog,
} from '@/components/ledger/movement-dialogs';
import { Amount } from '@/components/ui/amount';
import { Button } from '@/components/ui/button';
import { Instant } from '@/components/ui/instant';
import { Forbidden } from '@/components/ui/states';
import { can } from '@/lib/auth/permissions';
import { ACCOUNT_ID_PATTERN } from '@/lib/ledger/limits';
import { utcInstantSchema } from '@/lib/schemas/audit-filters';
import { guardPage } from '@/lib/server/auth/guard-page';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { encodeCheckpoint } from '@/lib/server/event-store/checkpoint-token';
import { currentCheckpoint } from '@/lib/server/event-store/read-global-log';
import { actorsOf, describeActors } from '@/lib/server/queries/describe-actors';
import { getAccount } from '@/lib/server/queries/get-account';
import { getAccountAt } from '@/lib/server/queries/get-account-at';
import { getBalanceSeries } from '@/lib/server/queries/get-balance-series';
import { listTimeline } from '@/lib/server/queries/list-timeline';
import { listHolds } from '@/lib/server/queries/list-holds';
import { readChargeStandings } from '@/lib/server/disputes/read-charge-standings';
import { availableMinorOf } from '@/lib/server/aggregates/account/account-record';
import {
  toAsOfViewModel,
  toHoldViewModel,
  toTimelineEntryViewModel,
} from '@/lib/server/to-view-models';
import { ActiveHolds } from '@/components/ledger/active-holds';
import { PlaceHoldDialog } from '@/components/ledger/hold-dialogs';
import { approvalNotice } from '@/lib/server/approvals/approval-notices';
import { AccountStatusBadge } from '@/components/ledger/account-status-badge';

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Account ${id}` };
}

export default async function AccountPage({
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
    returnTo: `/accounts/${id}`,
  });
  if (!allowed) return <Forbidden what="view accounts" />;
  if (!ACCOUNT_ID_PATTERN.test(id)) notFound();
  const account = await getAccount({ accountId: id });
  if (!account) notFound();

  const parsedAt = typeof query.at === 'string' ? utcInstantSchema.safeParse(query.at) : null;
  const at = parsedAt?.success ? parsedAt.data : null;
  // "As Chronicle showed it then" is kept in the URL as knownAt (the slider's instant).
  const knownThen = at !== null && typeof query.knownAt === 'string';
  // The history may come from a replica; the live updates start where that history ends.
  const db = await sessionReads(user.id);
  const [page, series, asOf, asShownThen, checkpoint, activeHolds] = await Promise.all([
    listTimeline({ accountId: id, limit: 50, db }),
    getBalanceSeries({ accountId: id, db }),
    at ? getAccountAt({ accountId: id, at, db }) : Promise.resolve(null),
    at ? getAccountAt({ accountId: id, at, knownAt: at, db }) : Promise.resolve(null),
    currentCheckpoint(db),
    listHolds({ accountId: id, status: 'active', limit: 50 }),
  ]);
  const [labels, charges] = await Promise.all([
    describeActors({ actors: page.entries.flatMap((entry) => actorsOf(entry.event.metadata)) }),
    readChargeStandings({ eventIds: page.entries.map((entry) => entry.event.eventId) }),
  ]);
  const mayMoveMoney = can(user.role, 'funds:deposit');

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/accounts" className="underline">
          Accounts
        </Link>{' '}
        / <span className="font-mono">{account.id}</span>
      </nav>

      <section
        aria-labelledby="account-heading"
        className="rounded-lg border border-slate-200 bg-white p-5"
      >
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 id="account-heading" className="font-mono text-xl font-semibold">
              {account.id}
            </h1>
            <p className="mt-1 text-sm text-slate-600">
              Owner <span className="font-medium text-slate-800">{account.ownerId}</span> ·{' '}
              {account.currency} · opened <Instant iso={account.openedAt.toISOString()} />
            </p>
          </div>
          <div className="flex items-center gap-3">
            <Button asChild variant="secondary" size="sm">
              <Link href={`/accounts/${account.id}/statement`} data-testid="statement-link">
                Statement
              </Link>
            </Button>
            {can(user.role, 'disputes:read') ? (
              <Button asChild variant="secondary" size="sm">
                <Link href={`/disputes?accountId=${encodeURIComponent(account.id)}`}>Disputes</Link>
              </Button>
            ) : null}
            <LiveUpdates after={encodeCheckpoint(checkpoint)} accountId={account.id} />
          </div>
        </div>
        <dl className="mt-4 flex flex-wrap items-end gap-x-10 gap-y-3">
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500">Balance (posted)</dt>
            <dd data-testid="account-balance">
              <Amount
                minor={account.balanceMinor.toString()}
                currency={account.currency}
                className="text-3xl font-semibold"
              />
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500">Held</dt>
            <dd data-testid="account-held">
              <Amount
                minor={account.heldMinor.toString()}
                currency={account.currency}
                className="text-xl"
              />
            </dd>
          </div>
          {account.owedMinor > 0n ? (
            <div>
              <dt className="text-xs uppercase tracking-wide text-slate-500">
                Owed (lost disputes)
              </dt>
              <dd data-testid="account-owed">
                <Amount
                  minor={account.owedMinor.toString()}
                  currency={account.currency}
                  className="text-xl text-amber-800"
                />
              </dd>
            </div>
          ) : null}
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500">Available</dt>
            <dd data-testid="account-available">
              <Amount
                minor={availableMinorOf(account).toString()}
                currency={account.currency}
                className="text-xl font-semibold"
              />
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500">Status</dt>
            <dd data-testid="account-status">
              <AccountStatusBadge frozen={account.frozen} />
              {account.frozen && account.frozenReason ? (
                <span className="ml-2 text-sm text-slate-600">{account.frozenReason}</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase tracking-wide text-slate-500">Version</dt>
            <dd className="tabular-nums" data-testid="account-version">
              {account.version}
            </dd>
          </div>
        </dl>
        {mayMoveMoney || can(user.role, 'accounts:freeze') || can(user.role, 'accounts:correct') ? (
          <div
            className="mt-5 flex flex-wrap gap-2 border-t border-slate-100 pt-4"
            data-testid="account-actions"
          >
            {mayMoveMoney ? (
              <DepositDialog accountId={account.id} currency={account.currency} />
            ) : null}
            {can(user.role, 'funds:withdraw') ? (
              <WithdrawDialog
                accountId={account.id}
                currency={account.currency}
                approvalNotice={approvalNotice('withdraw', account.currency)}
              />
            ) : null}
            {can(user.role, 'funds:transfer') ? (
              <TransferDialog
                accountId={account.id}
                currency={account.currency}
                approvalNotice={approvalNotice('transfer', account.currency)}
              />
            ) : null}
            {can(user.role, 'holds:place') ? (
              <PlaceHoldDialog
                accountId={account.id}
                currency={account.currency}
                availableMinor={availableMinorOf(account).toString()}
              />
            ) : null}
            {can(user.role, 'accounts:correct') ? (
              <CorrectionDialog
                accountId={account.id}
                currency={account.currency}
                approvalNotice={approvalNotice('record_correction', account.currency)}
              />
            ) : null}
            {account.frozen
              ? can(user.role, 'accounts:unfreeze') && (
                  <UnfreezeDialog
                    accountId={account.id}
                    approvalNotice={approvalNotice('unfreeze_account')}
                  />
                )
              : can(user.role, 'accounts:freeze') && (
                  <FreezeDialog
                    accountId={account.id}
                    approvalNotice={approvalNotice('freeze_account')}
                  />
                )}
          </div>
        ) : null}
      </section>

      {activeHolds.holds.length > 0 ? (
        <ActiveHolds
          holds={activeHolds.holds.map(toHoldViewModel)}
          currency={account.currency}
          canCapture={can(user.role, 'holds:capture')}
          canRelease={can(user.role, 'holds:release')}
          more={activeHolds.nextBeforeId !== null}
          captureNotice={approvalNotice('capture_hold', account.currency)}
        />
      ) : null}

      <AccountWorkspace
        accountId={account.id}
        currency={account.currency}
        firstEventAt={account.openedAt.toISOString()}
        lastEventAt={account.lastEventAt.toISOString()}
        headVersion={account.version}
        series={series}
        firstPage={{
          entries: page.entries.map((entry) => toTimelineEntryViewModel(entry, labels, charges)),
          nextBeforeVersion: page.nextBeforeVersion,
        }}
        initialAt={at?.toISOString() ?? null}
        initialAsOf={asOf ? toAsOfViewModel(asOf) : null}
        initialAsShownThen={asShownThen ? toAsOfViewModel(asShownThen) : null}
        initialKnown={knownThen ? 'then' : 'now'}
        canReverse={can(user.role, 'charges:reverse')}
        canDispute={can(user.role, 'disputes:work')}
        reversalNotice={approvalNotice('reverse_charge', account.currency)}
      />
    </div>
  );
}
