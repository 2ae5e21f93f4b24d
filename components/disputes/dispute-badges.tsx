// How a case's status and urgency look wherever cases are listed or shown.

import { DISPUTE_STATUS_LABELS, type DisputeStatus } from '@/lib/ledger/dispute/dispute-rules';
import { Badge } from '../ui/badge';

const STATUS_TONES: Record<DisputeStatus, 'success' | 'danger' | 'info' | 'warning' | 'neutral'> = {
  open: 'warning',
  needs_response: 'warning',
  under_review: 'info',
  won: 'success',
  lost: 'danger',
  withdrawn: 'neutral',
};

export function DisputeStatusBadge({ status }: { status: DisputeStatus }) {
  return (
    <Badge tone={STATUS_TONES[status]} className="whitespace-nowrap">
      <span data-testid="dispute-status">{DISPUTE_STATUS_LABELS[status]}</span>
    </Badge>
  );
}

export function OverdueBadge() {
  return (
    <Badge tone="danger" className="ml-2">
      Overdue
    </Badge>
  );
}
