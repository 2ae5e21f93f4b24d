'use client';

// Keeps a page current: listens to the server-sent event stream from the page's checkpoint and
// refreshes the server-rendered data when events arrive. EventSource reconnects by itself and
// sends its Last-Event-ID, from which the server resumes, so nothing is missed. When the browser
// has fallen too far behind (a laptop waking up after a night), the server says `reset`: the page
// reloads its data and listens again from now.

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { cn } from '../ui/cn';

export function LiveUpdates({
  after,
  accountId,
  disputeId,
}: {
  after: string;
  accountId?: string;
  /** A case's events (with accountId, its account's too), or `all` for every case's. */
  disputeId?: string;
}) {
  const router = useRouter();
  const [status, setStatus] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Each reset starts a new stream from now instead of the page's original checkpoint.
  const [resets, setResets] = useState(0);

  useEffect(() => {
    const params = new URLSearchParams(resets === 0 ? { after } : {});
    if (accountId) params.set('account', accountId);
    if (disputeId) params.set('dispute', disputeId);
    const source = new EventSource(`/api/events/stream?${params}`);
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus('reconnecting');
    source.addEventListener('ledger', () => {
      // Several events often arrive together (both legs of a transfer): refresh once.
      clearTimeout(refreshTimer.current);
      refreshTimer.current = setTimeout(() => router.refresh(), 150);
    });
    source.addEventListener('reset', () => {
      source.close();
      router.refresh();
      setResets((count) => count + 1);
    });
    return () => {
      clearTimeout(refreshTimer.current);
      source.close();
    };
    // The checkpoint only matters for the first connection; later ones resume from Last-Event-ID.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [accountId, disputeId, router, resets]);

  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-600"
      role="status"
      data-testid="live-status"
      data-status={status}
    >
      <span
        className={cn(
          'h-2 w-2 rounded-full',
          status === 'live' ? 'bg-emerald-500' : 'bg-amber-400',
        )}
        aria-hidden="true"
      />
      {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
    </span>
  );
}
