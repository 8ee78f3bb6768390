import type { AdminUser } from '../../api/admin-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { formatDateTime } from '../../widgets/format.ts';

/** Whether the account can be used: disabled, waiting for its invitation, or in use. */
export function UserStatus({ user }: { user: AdminUser }) {
  if (user.disabled) return <Badge tone="red">disabled</Badge>;
  if (user.kind !== 'human') return <Badge tone="green">active</Badge>;
  if (user.invitation) {
    const expired = new Date(user.invitation.expiresAt).getTime() <= Date.now();
    return expired ? (
      <Badge tone="amber">invitation expired</Badge>
    ) : (
      <span title={`The invitation expires ${formatDateTime(user.invitation.expiresAt)}`}>
        <Badge tone="amber">invited</Badge>
      </span>
    );
  }
  if (!user.hasPassword) return <Badge tone="amber">no password</Badge>;
  return <Badge tone="green">active</Badge>;
}
