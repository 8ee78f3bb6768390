import type { AdminUser, Role } from '../../api/admin-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { compactControl } from '../../widgets/compact-control.ts';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { UserStatus } from './user-status.tsx';

export interface UserActions {
  busy: boolean;
  setRole(role: Role): void;
  setDisabled(disabled: boolean): void;
  makeLink(purpose: 'invite' | 'reset'): void;
}

/** One account: who, what kind, role (changeable), status, passkeys, and what an admin can do. */
export function UserRow({ user, self, actions }: { user: AdminUser; self: boolean; actions: UserActions }) {
  const person = user.kind === 'human';
  return (
    <tr className={user.disabled ? 'text-slate-400' : ''}>
      <td data-label="User" className="px-5 py-3">
        <p className="font-medium text-slate-900">
          {user.username} {self && <Badge tone="blue">you</Badge>}
        </p>
        <p className="text-xs break-all text-slate-500">{user.email}</p>
      </td>
      <td data-label="Kind" className="px-5 py-3">
        <Badge tone={person ? 'neutral' : 'blue'}>{user.kind}</Badge>
      </td>
      <td data-label="Role" className="px-5 py-3">
        <select
          aria-label={`Role of ${user.username}`}
          value={user.role}
          // An agent principal acts within its project with delegated tokens; a role would not apply.
          disabled={self || user.kind === 'agent' || actions.busy}
          title={self ? 'Ask another admin to change your role.' : undefined}
          onChange={(e) => actions.setRole(e.target.value as Role)}
          className={`${compactControl} w-28`}
        >
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td data-label="Status" className="px-5 py-3">
        <UserStatus user={user} />
      </td>
      <td data-label="Passkeys" className="px-5 py-3 tabular-nums text-slate-600">
        {person ? user.passkeys : '—'}
      </td>
      <td data-label="" className="px-5 py-3">
        <div className="flex flex-wrap items-center justify-end gap-1">
          {person && !self && !user.disabled && (
            <Button
              variant="ghost"
              size="sm"
              busy={actions.busy}
              aria-label={`${user.hasPassword ? 'Password-reset link' : 'New invitation link'} for ${user.username}`}
              onClick={() => actions.makeLink(user.hasPassword ? 'reset' : 'invite')}
            >
              {user.hasPassword ? 'Reset link' : 'New invite link'}
            </Button>
          )}
          {!self &&
            (user.disabled ? (
              <Button
                variant="ghost"
                size="sm"
                busy={actions.busy}
                aria-label={`Enable ${user.username}`}
                onClick={() => actions.setDisabled(false)}
              >
                Enable
              </Button>
            ) : (
              <ConfirmButton
                variant="ghost"
                size="sm"
                aria-label={`Disable ${user.username}`}
                question={`Disable ${user.username}?`}
                confirmLabel="Disable"
                busy={actions.busy}
                onConfirm={() => actions.setDisabled(true)}
              >
                Disable
              </ConfirmButton>
            ))}
        </div>
      </td>
    </tr>
  );
}
