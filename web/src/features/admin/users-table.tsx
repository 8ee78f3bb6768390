import type { AccountLinkResult, AdminUser } from '../../api/admin-types.ts';
import { useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { useAccountLink, useUpdateUser, useUsers } from './admin-queries.ts';
import { UserRow } from './user-row.tsx';

const HEADERS = ['User', 'Kind', 'Role', 'Status', 'Passkeys'];

/**
 * Every account (people, agents, services), oldest first: change a role, disable or enable,
 * and make a person an invitation or password-reset link.
 */
export function UsersTable({ onLink }: { onLink: (result: AccountLinkResult) => void }) {
  const me = useUser();
  const users = useUsers();
  const update = useUpdateUser();
  const link = useAccountLink();
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const busyWith = (u: AdminUser) =>
    (update.isPending && update.variables?.user.id === u.id) ||
    (link.isPending && link.variables?.user.id === u.id);

  return (
    <Card title="Users" description="People sign in; agents and services act with API tokens only." flush>
      {(update.isError || link.isError) && (
        <div className="px-5 pt-4">
          <ErrorAlert error={update.error ?? link.error} />
        </div>
      )}
      {users.isPending ? (
        <Loading label="Loading users…" className="px-5" />
      ) : users.isError ? (
        <div className="p-5">
          <ErrorAlert error={users.error} />
        </div>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="stack-table w-full text-left text-sm">
            <caption className="sr-only">Users</caption>
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                {HEADERS.map((h) => (
                  <th key={h} scope="col" className="px-5 py-2 font-medium">
                    {h}
                  </th>
                ))}
                <th scope="col" className="px-5 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((u) => (
                <UserRow
                  key={u.id}
                  user={u}
                  self={u.id === me.id}
                  actions={{
                    busy: busyWith(u),
                    setRole: (role) => update.mutate({ user: u, patch: { role } }),
                    setDisabled: (disabled) => update.mutate({ user: u, patch: { disabled } }),
                    makeLink: (purpose) => link.mutate({ user: u, purpose }, { onSuccess: onLink }),
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={users} />
    </Card>
  );
}
