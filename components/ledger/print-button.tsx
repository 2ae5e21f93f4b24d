'use client';

import { Button } from '../ui/button';

/** Opens the browser's print dialog (the page's print stylesheet lays the statement out). */
export function PrintButton({ label = 'Print' }: { label?: string }) {
  return (
    <Button variant="secondary" size="sm" onClick={() => window.print()}>
      {label}
    </Button>
  );
}
