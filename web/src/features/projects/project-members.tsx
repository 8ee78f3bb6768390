import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import type { Member, ProjectRole } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert, FormError } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { selectClass, TextField } from '../../widgets/field.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { KindBadge } from '../principals/kind-badge.tsx';
import { PROJECT_ROLES } from './roles.ts';

export function ProjectMembers({ slug, canManage }: { slug: string; canManage: boolean }) {
  const members = useQuery({
    queryKey: keys.members(slug),
    queryFn: () => api.get<Page<Member>>(`/api/projects/${seg(slug)}/members`),
  });
  return (
    <Card title="Members" description="Who can see and change this project." flush>
      {members.isPending ? (
        <Loading label="Loading members…" className="px-5" />
      ) : members.isError ? (
        <div className="p-5">
          <ErrorAlert error={members.error} />
        </div>
      ) : (
        <ul aria-label="Members" className="divide-y divide-slate-100">
          {members.data.items.map((m) => (
            <li key={m.userId} className="flex items-center justify-between gap-3 px-5 py-3">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900">
                  {m.username} <KindBadge kind={m.kind} />
                </p>
                <p className="text-xs text-slate-500">Added {formatDateTime(m.addedAt)}</p>
              </div>
              <Badge tone={m.role === 'owner' ? 'green' : 'neutral'}>{m.role}</Badge>
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <div className="border-t border-slate-200 px-5 py-4">
          <SetMemberForm slug={slug} />
        </div>
      )}
    </Card>
  );
}

/** Adds a user or changes their role (the API's PUT does both). */
function SetMemberForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const roleId = useId();
  const save = useMutation({
    mutationFn: ({ username, role }: { username: string; role: ProjectRole }) =>
      api.put(`/api/projects/${seg(slug)}/members/${seg(username)}`, { role }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.members(slug) }),
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    save.mutate(
      { username: String(form.get('username') ?? '').trim(), role: String(form.get('role')) as ProjectRole },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Add or change a member">
      <h3 className="text-sm font-semibold text-slate-900">Add or change a member</h3>
      <FormError error={save.error} />
      <TextField label="Username" name="username" required autoComplete="off" error={errors.username} />
      <div className="space-y-1.5">
        <label htmlFor={roleId} className="block text-sm font-medium text-slate-800">
          Role
        </label>
        <select id={roleId} name="role" defaultValue="developer" className={selectClass}>
          {PROJECT_ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary" busy={save.isPending}>
        Save member
      </Button>
    </form>
  );
}
