import { Badge } from '../ui/badge';

/** Whether money may leave the account: "Frozen" in red, "Active" in green. */
export function AccountStatusBadge({ frozen }: { frozen: boolean }) {
  return frozen ? <Badge tone="danger">Frozen</Badge> : <Badge tone="success">Active</Badge>;
}
