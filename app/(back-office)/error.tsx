'use client';

import { Button } from '@/components/ui/button';

export default function BackOfficeError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-900">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-red-900">
        Something went wrong on our side. Nothing you did was lost: the ledger records a movement
        completely or not at all.
        {error.digest ? ` Reference: ${error.digest}.` : ''}
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
