'use client';

// "Re-verify everything" for admins, and the page refreshing itself while a run is in progress so
// its percentage moves.

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import { IDLE } from '@/lib/actions/action-state';
import { requestFullVerificationAction } from '@/lib/actions/integrity-actions';
import { ActionFormElement } from '../ui/action-form-element';
import { Button } from '../ui/button';

const PROGRESS_REFRESH_MS = 2_000;

export function FullVerificationControl({ isRunning }: { isRunning: boolean }) {
  const router = useRouter();
  const [state, action, pending] = useActionState(requestFullVerificationAction, IDLE);
  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => router.refresh(), PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [isRunning, router]);
  return (
    <ActionFormElement action={action} className="inline">
      <Button type="submit" size="sm" variant="secondary" disabled={pending || isRunning}>
        {isRunning ? 'Verifying…' : 'Re-verify everything'}
      </Button>
      {state.status === 'error' ? (
        <span role="alert" className="ml-2 text-red-700">
          {state.message}
        </span>
      ) : null}
    </ActionFormElement>
  );
}
