import type { ApprovalStatus } from '@/lib/ledger/approval/approval-rules';
import { Badge } from '../ui/badge';

const TONE: Record<ApprovalStatus, 'warning' | 'success' | 'danger' | 'neutral'> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  cancelled: 'neutral',
  expired: 'neutral',
};

export const APPROVAL_STATUS_LABELS: Record<ApprovalStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export function ApprovalStatusBadge({ status }: { status: ApprovalStatus }) {
  return (
    <Badge tone={TONE[status]} className="whitespace-nowrap">
      {APPROVAL_STATUS_LABELS[status]}
    </Badge>
  );
}
