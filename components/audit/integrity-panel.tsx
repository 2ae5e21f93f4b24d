// The audit page's integrity section: what the background verifier has established (never a
// verification run by this request), every problem it found, and the latest full re-verification.

import Link from 'next/link';
import type { IntegrityStatus } from '@/lib/server/integrity/get-integrity-status';
import { Badge } from '../ui/badge';
import { Instant } from '../ui/instant';
import { FullVerificationControl } from './full-verification-control';

export function IntegrityPanel({
  status,
  canReverify,
}: {
  status: IntegrityStatus;
  canReverify: boolean;
}) {
  const run = status.lastFullVerification;
  const isRunning = run?.status === 'queued' || run?.status === 'running';
  return (
    <div className="space-y-3 text-sm" data-testid="integrity-result">
      {status.problems.length === 0 ? (
        <p>
          {status.stale ? (
            <Badge tone="warning">Not current</Badge>
          ) : (
            <Badge tone="success">Intact</Badge>
          )}{' '}
          {status.verifiedEvents.toLocaleString('en-US')} events verified through position{' '}
          {status.verifiedThroughPosition.toString()}
          {status.checkedAt ? (
            <>
              , last checked <Instant iso={status.checkedAt.toISOString()} />
            </>
          ) : null}
          : every verified stream&apos;s hash chain is unbroken and ends where its projection says.
        </p>
      ) : (
        <div role="alert" className="space-y-2">
          <p>
            <Badge tone="danger">Broken</Badge> {status.problems.length} problem
            {status.problems.length === 1 ? '' : 's'} found:
          </p>
          <ul className="list-disc space-y-1 pl-5" data-testid="integrity-problems">
            {status.problems.map((problem) => (
              <li key={`${problem.reason}-${problem.streamId}-${problem.streamVersion}`}>
                {problem.eventId ? (
                  <Link className="font-mono underline" href={`/events/${problem.eventId}`}>
                    {problem.streamId} v{problem.streamVersion}
                  </Link>
                ) : (
                  <span className="font-mono">
                    {problem.streamId} v{problem.streamVersion}
                  </span>
                )}
                : {problem.reason.replaceAll('_', ' ')} — {problem.detail}.
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.stale ? (
        <p role="status" className="text-amber-900" data-testid="integrity-stale">
          The verifier has not finished a pass{' '}
          {status.checkedAt ? (
            <>
              since <Instant iso={status.checkedAt.toISOString()} />
            </>
          ) : (
            'yet'
          )}
          : events written since are not verified, so this answer may be out of date. Check that the
          server is running its background jobs (its log says why a pass fails).
        </p>
      ) : null}
      {status.pendingEvents > 0 ? (
        <p className="text-slate-600" data-testid="integrity-pending">
          {status.pendingEvents.toLocaleString('en-US')}
          {status.pendingEvents >= 100_000 ? '+' : ''} newer event
          {status.pendingEvents === 1 ? ' is' : 's are'} not verified yet.
        </p>
      ) : null}
      <CheckpointSummary checkpoints={status.checkpoints} />
      <div className="flex flex-wrap items-center gap-3 text-slate-600">
        {run ? (
          <span data-testid="full-verification-status">
            Full re-verification {run.status}
            {run.status === 'running' && run.totalEvents
              ? ` (${Math.floor((100 * run.checkedEvents) / Math.max(1, run.totalEvents))}%, ${run.checkedEvents.toLocaleString('en-US')} of ${run.totalEvents.toLocaleString('en-US')} events)`
              : ''}
            {run.status === 'succeeded'
              ? run.ok
                ? ': the whole ledger is intact'
                : ': problems found'
              : ''}
            {run.finishedAt ? (
              <>
                {' '}
                · <Instant iso={run.finishedAt.toISOString()} />
              </>
            ) : null}
          </span>
        ) : null}
        {canReverify ? <FullVerificationControl isRunning={isRunning} /> : null}
      </div>
    </div>
  );
}

function CheckpointSummary({ checkpoints }: { checkpoints: IntegrityStatus['checkpoints'] }) {
  if (checkpoints.state === 'not_configured')
    return (
      <p className="text-amber-900" data-testid="checkpoint-status">
        <Badge tone="warning">No signing key</Badge> This instance seals no checkpoints: set{' '}
        <code>CHRONICLE_SIGNING_KEY</code> so that history can be proven to outsiders.
      </p>
    );
  const latest = checkpoints.latest;
  return (
    <div className="space-y-1 text-slate-700" data-testid="checkpoint-status">
      <p>
        {checkpoints.state === 'behind' ? (
          <Badge tone="warning">Checkpoints behind</Badge>
        ) : (
          <Badge tone="info">Sealed</Badge>
        )}{' '}
        {latest ? (
          <>
            Checkpoint {latest.number} seals the ledger through position {latest.throughPosition} (
            <Instant iso={latest.sealedAt.toISOString()} />
            ); the database was checked against the signed copies kept outside it through checkpoint{' '}
            {checkpoints.verifiedThrough}.
          </>
        ) : (
          'No checkpoint has been sealed yet.'
        )}{' '}
        {checkpoints.unsealedEvents > 0
          ? `${checkpoints.unsealedEvents.toLocaleString('en-US')} newer event${checkpoints.unsealedEvents === 1 ? ' is' : 's are'} not yet sealed.`
          : 'Every committed event is sealed.'}{' '}
        Key <span className="font-mono">{checkpoints.keyId}</span>.
      </p>
      <ul className="text-xs text-slate-600">
        {checkpoints.sinks.map((sink) => (
          <li key={sink.name}>
            {sink.name.replace(/^file:([^:]*):.*$/, 'file on $1')}: holds checkpoints through{' '}
            {sink.writtenThrough}
            {sink.lastError ? (
              <span className="text-red-700"> — failing: {sink.lastError}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
