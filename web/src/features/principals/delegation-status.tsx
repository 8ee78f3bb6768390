import type { DelegationStatus } from '../../api/principal-types.ts';
import { Badge } from '../../widgets/badge.tsx';

export function DelegationStatusBadge({ status }: { status: DelegationStatus }) {
  if (status === 'active') return <Badge tone="green">active</Badge>;
  if (status === 'expired') return <Badge tone="neutral">expired</Badge>;
  return <Badge tone="red">revoked</Badge>;
}
