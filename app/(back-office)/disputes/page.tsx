import { LiveUpdates } from '@/components/ledger/live-updates';
import { getPool } from '@/lib/server/db/pool';
import { encodeCheckpoint } from '@/lib/server/event-store/checkpoint-token';
import { currentCheckpoint } from '@/lib/server/event-store/read-global-log';
import type { Metadata } from 'next';
import Link from 'next/link';
import { DisputeCounts, DisputeFilters, DisputeTable } from '@/components/disputes/dispute-queue';
import { EmptyState, Forbidden, PageHeading } from '@/components/ui/states';
import { can } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/errors';
import {
  DISPUTE_QUEUE_PARAMS,
  disputeQueueFilters,
  type DisputeQueueFilters,
} from '@/lib/schemas/dispute-forms';
import { guardPage } from '@/lib/server/auth/guard-page';
import type { DisputeRecord } from '@/lib/server/aggregates/dispute/dispute-record';
import { countDisputes, listDisputes } from '@/lib/server/disputes/read-disputes';
import { listUsers } from '@/lib/server/users/list-users';

export const metadata: Metadata = { title: 'Disputes' };

const PAGE_SIZE = 25;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The queue's own parameters, each given once and not empty; anything else is ignored. */
function queueParams(params: Record<string, string | string[] | undefined>) {
  const picked: Record<string, string> = {};
  for (const name of DISPUTE_QUEUE_PARAMS) {
    const value = params[name];
    if (typeof value === 'string' && value.trim() !== '') picked[name] = value.trim();
  }
  return picked;
}

async function readQueue(
  filters: DisputeQueueFilters | null,
): Promise<{ items: DisputeRecord[]; nextCursor: string | null; error: string | null }> {
  if (!filters) return { items: [], nextCursor: null, error: null };
  try {
    return { ...(await listDisputes({ ...filters, limit: PAGE_SIZE })), error: null };
  } catch (error) {
    // A cursor Chronicle never gave out is the one filter only the database can judge.
    if (isAppError(error) && error.code === 'validation_error')
      return { items: [], nextCursor: null, error: error.message };
    throw error;
  }
}

export default async function DisputesPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, allowed } = await guardPage('disputes:read', { returnTo: '/disputes' });
  if (!allowed) return <Forbidden what="view dispute cases" />;
  const raw = queueParams(await searchParams);
  const parsed = disputeQueueFilters.safeParse(raw);
  // Filters that do not parse list nothing: an unfiltered list under an error would pass for
  // the answer to the question asked.
  // The checkpoint first: live updates resume from it, so nothing committed after the reads
  // below can be missed.
  const checkpoint = await currentCheckpoint(getPool());
  const [page, counts, users] = await Promise.all([
    readQueue(parsed.success ? parsed.data : null),
    countDisputes(),
    listUsers(),
  ]);
  const filterError = parsed.success
    ? page.error
    : (parsed.error.issues[0]?.message ?? 'These filters are not valid.');
  const workers = users.filter((candidate) => can(candidate.role, 'disputes:work'));
  const names = new Map(users.map((known) => [known.id, known.name]));
  const { cursor: _cursor, ...kept } = raw;
  const filtered = Object.keys(kept).some((key) => key !== 'sort');
  const link = (extra: Record<string, string>) =>
    `/disputes?${new URLSearchParams({ ...kept, ...extra })}`;

  return (
    <>
      <PageHeading
        title="Disputes"
        actions={<LiveUpdates after={encodeCheckpoint(checkpoint)} disputeId="all" />}
      >
        Every dispute case, newest first or most urgent first. Due dates are in UTC.
        {can(user.role, 'disputes:work')
          ? ' Open a case from a charge on its account’s timeline.'
          : null}
      </PageHeading>
      <DisputeCounts counts={counts} />
      <DisputeFilters raw={raw} assignees={workers} error={filterError} />
      {page.items.length === 0 ? (
        <EmptyState
          title={
            filterError
              ? 'Correct the filters to see cases.'
              : filtered
                ? 'No dispute cases match these filters.'
                : 'No dispute cases yet.'
          }
        />
      ) : (
        <DisputeTable items={page.items} names={names} />
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
        {raw.cursor ? (
          <Link href={link({})} className="text-sky-800 underline">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor ? (
          <Link href={link({ cursor: page.nextCursor })} className="text-sky-800 underline">
            Next page →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
