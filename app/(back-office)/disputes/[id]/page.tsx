import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CaseActions, caseSteps } from '@/components/disputes/case-actions';
import {
  CaseSummary,
  CaseTimeline,
  ChargeInContext,
  EvidenceList,
} from '@/components/disputes/case-sections';
import { describeEvent } from '@/components/ledger/event-labels';
import { LiveUpdates } from '@/components/ledger/live-updates';
import { Button } from '@/components/ui/button';
import { Forbidden } from '@/components/ui/states';
import { can, ROLE_LABELS } from '@/lib/auth/permissions';
import { approvalNotice } from '@/lib/server/approvals/approval-notices';
import { guardPage } from '@/lib/server/auth/guard-page';
import { getPool } from '@/lib/server/db/pool';
import { readChargeStandings } from '@/lib/server/disputes/read-charge-standings';
import { readDisputeHistory } from '@/lib/server/disputes/read-dispute-history';
import { getDispute } from '@/lib/server/disputes/read-disputes';
import { encodeCheckpoint } from '@/lib/server/event-store/checkpoint-token';
import { currentCheckpoint } from '@/lib/server/event-store/read-global-log';
import { findEventById } from '@/lib/server/event-store/read-stream';
import { actorsOf, describeActors } from '@/lib/server/queries/describe-actors';
import { toEventViewModel } from '@/lib/server/to-view-models';
import { listUsers } from '@/lib/server/users/list-users';
import type { EventViewModel } from '@/lib/view-models';

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Dispute ${id.slice(-8)}` };
}

export default async function DisputePage({ params }: { params: Params }) {
  const { id } = await params;
  const { user, allowed } = await guardPage('disputes:read', {
    resource: id,
    returnTo: `/disputes/${id}`,
  });
  if (!allowed) return <Forbidden what="view dispute cases" />;
  const db = getPool();
  // Before the reads: live updates resume from here, so nothing committed after them is missed.
  const checkpoint = await currentCheckpoint(db);
  const dispute = await getDispute(id);
  if (!dispute) notFound();

  const [charge, history, standings, users] = await Promise.all([
    findEventById(db, dispute.chargeEventId),
    readDisputeHistory({ disputeId: dispute.id, chargeEventId: dispute.chargeEventId, db }),
    readChargeStandings({ eventIds: [dispute.chargeEventId], db }),
    listUsers(),
  ]);
  const labels = await describeActors({
    actors: [...history, ...(charge ? [charge] : [])].flatMap((event) => actorsOf(event.metadata)),
    db,
  });
  const names = new Map(users.map((known) => [known.id, known.name]));
  const describe = (event: EventViewModel) =>
    event.type === 'dispute_assigned' && typeof event.data.assigneeId === 'string'
      ? `Assigned to ${names.get(event.data.assigneeId) ?? event.data.assigneeId}`
      : describeEvent(event);
  const assignees = users
    .filter((candidate) => candidate.disabledAt === null && can(candidate.role, 'disputes:work'))
    .map((candidate) => ({
      id: candidate.id,
      label: `${candidate.name} (${candidate.email}) · ${ROLE_LABELS[candidate.role]}`,
    }));
  const steps = caseSteps(dispute, user.role);

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between gap-3">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/disputes" className="underline">
            Disputes
          </Link>{' '}
          / <span className="font-mono">{dispute.id.slice(-8)}</span>
        </nav>
        <LiveUpdates
          after={encodeCheckpoint(checkpoint)}
          accountId={dispute.accountId}
          disputeId={dispute.id}
        />
      </div>

      <CaseSummary
        dispute={dispute}
        assigneeName={
          dispute.assigneeId ? (names.get(dispute.assigneeId) ?? dispute.assigneeId) : null
        }
      />

      <div className="flex flex-wrap items-start justify-between gap-3">
        <CaseActions
          dispute={dispute}
          steps={steps}
          assignees={assignees}
          writeOffNotice={approvalNotice('write_off_shortfall')}
        />
        <Button asChild variant="secondary" size="sm">
          <a
            href={`/api/disputes/${dispute.id}/package`}
            download
            data-testid="dispute-package-link"
          >
            Download evidence package
          </a>
        </Button>
      </div>

      <ChargeInContext
        charge={charge ? toEventViewModel(charge, labels) : null}
        currency={dispute.currency}
        reversibleMinor={standings.get(dispute.chargeEventId)?.reversibleMinor ?? null}
      />
      <EvidenceList dispute={dispute} />
      <CaseTimeline
        events={history.map((event) => toEventViewModel(event, labels))}
        describe={describe}
      />
    </div>
  );
}
